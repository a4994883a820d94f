-- Every ask inserts a trial row and every tell updates one (not a HOT update: the state changes), and each such
-- write adds an entry to every index of the table whose predicate holds. Two indexes took an entry for every trial
-- while serving almost none:
-- * trial_tags (GIN over all tags) served only the generic tag lookup, which no strategy uses on its hot path
--   (evolutionary strategies look up their generation through trial_generation); that rare lookup now reads the
--   study's rows through the primary key.
-- * trial_generation indexed every trial, also those without a generation (random, tpe, gp, grid): it now holds
--   only the trials that have one. A lookup `tags ->> 'generation' = ...` implies the predicate, so it still uses it.
drop index trial_tags;
drop index trial_generation;
create index trial_generation on trial (study_id, (tags ->> 'generation')) where (tags ->> 'generation') is not null;
