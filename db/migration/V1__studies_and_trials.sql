-- Studies, their trials, intermediate values and strategy state. Every table is keyed by study first,
-- so a study never needs another's rows and the tables can shard by study_id.

create table study (
    id          bigint generated always as identity primary key,
    name        varchar(128) not null unique,
    -- The canonical definition (space, objectives, strategy, pruner, budget, ...), as JSON text so the
    -- parameters keep the order the client gave them.
    definition  text         not null,
    state       varchar(16)  not null check (state in ('ACTIVE', 'PAUSED', 'COMPLETED')),
    -- The effective seed: the one given, or one drawn at creation.
    seed        bigint       not null,
    -- The number the next trial gets; advanced only under the study's row lock, so numbers have no gaps.
    next_number bigint       not null default 0,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null
);

create table trial (
    study_id         bigint           not null references study (id) on delete cascade,
    number           bigint           not null,
    state            varchar(16)      not null check (state in ('WAITING', 'RUNNING', 'COMPLETED', 'PRUNED', 'FAILED')),
    params           jsonb            not null,
    objective_values double precision[],
    worker           varchar(256),
    reason           varchar(2048),
    attributes       jsonb            not null default '{}',
    -- What the strategy attached to its proposal (grid index, generation, ...).
    tags             jsonb            not null default '{}',
    created_at       timestamptz      not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    lease_expires_at timestamptz,
    primary key (study_id, number)
);

-- Enqueued trials are handed out first, in order; running ones are counted and leased.
create index trial_open on trial (study_id, number) where state in ('WAITING', 'RUNNING');
-- Failed trials do not count against the budget.
create index trial_failed on trial (study_id) where state = 'FAILED';
-- The best trial of a single-objective study.
create index trial_completed on trial (study_id, (objective_values[1])) where state = 'COMPLETED';
-- Generation lookups of evolutionary strategies (tags @> '{"generation": 3}').
create index trial_tags on trial using gin (tags jsonb_path_ops);

create table intermediate_value (
    study_id    bigint           not null,
    number      bigint           not null,
    step        bigint           not null,
    value       double precision not null,
    recorded_at timestamptz      not null,
    primary key (study_id, number, step),
    foreign key (study_id, number) references trial (study_id, number) on delete cascade
);

create table strategy_state (
    study_id   bigint      primary key references study (id) on delete cascade,
    format     integer     not null,
    document   jsonb       not null,
    updated_at timestamptz not null
);
