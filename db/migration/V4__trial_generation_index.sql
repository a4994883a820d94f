-- Evolutionary strategies read their current generation on every ask; this finds exactly that
-- generation's rows of the study, whatever the size of the study or the number of other studies.
create index trial_generation on trial (study_id, (tags ->> 'generation'));
