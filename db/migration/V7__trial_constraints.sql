-- Constraint values told with a trial's result (one per constraint the study declares; feasible when all <= 0).
alter table trial add column constraint_values double precision[];
