-- The dashboard's study list sorts a project's studies by last activity; a study's latest finish is then one
-- probe of this index instead of a scan of its trials.
create index trial_finished on trial (study_id, finished_at) where finished_at is not null;
