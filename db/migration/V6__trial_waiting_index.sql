-- Every ask checks (with the study's lock) whether enqueued trials wait to be handed out first; this answers
-- from the waiting trials alone, however many trials of the study are running.
create index trial_waiting on trial (study_id, number) where state = 'WAITING';
