-- Leases expire: the reaper finds running trials past their lease through this index.
create index trial_lease on trial (lease_expires_at) where state = 'RUNNING';

-- A trial re-enqueued after its lease expired records which trial it retries and which attempt it is.
alter table trial add column retry_of bigint;
alter table trial add column attempt integer not null default 1;
create index trial_retry_of on trial (study_id, retry_of) where retry_of is not null;

-- Responses of requests sent with an Idempotency-Key, stored in the same transaction as their work.
create table idempotency_key (
    study_id     bigint       not null references study (id) on delete cascade,
    key          varchar(256) not null,
    request_hash varchar(64)  not null,
    response     text         not null,
    created_at   timestamptz  not null,
    primary key (study_id, key)
);
create index idempotency_key_age on idempotency_key (created_at);
