-- Pruning decisions compare a report with the values other trials recorded at the same step: read from this
-- index alone (number and value included), never by scanning the study's whole history.
create index intermediate_value_by_step on intermediate_value (study_id, step) include (number, value);
