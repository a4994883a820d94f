-- Projects own studies; API keys act for one project with one role; every mutating request is audited.
-- Existing studies move into the project 'default', so nothing is lost and v1 clients keep working with auth off.

create table project (
    id                  bigint generated always as identity primary key,
    name                varchar(128) not null unique,
    -- Quotas; null means no limit.
    max_studies         integer check (max_studies >= 0),
    max_running_trials  integer check (max_running_trials >= 0),
    requests_per_second integer check (requests_per_second >= 1),
    created_at          timestamptz  not null
);

insert into project (name, created_at) values ('default', now());

alter table study add column project_id bigint references project (id);
update study set project_id = (select id from project where name = 'default');
alter table study alter column project_id set not null;
alter table study drop constraint study_name_key;
-- Study names are unique per project; lookups always go through (project, name).
alter table study add constraint study_project_name unique (project_id, name);

create table api_key (
    id           uuid         primary key,
    project_id   bigint       not null references project (id) on delete cascade,
    name         varchar(128) not null,
    role         varchar(8)   not null check (role in ('READ', 'WRITE', 'ADMIN')),
    -- The non-secret start of the key (tls_ and 8 characters), to recognise it in lists and logs.
    prefix       varchar(16)  not null,
    -- HMAC-SHA256 of the whole key; the key itself is never stored.
    secret_hash  bytea        not null unique,
    created_at   timestamptz  not null,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

create index api_key_project on api_key (project_id, created_at);

-- Append-only: the application only inserts, and the retention job deletes what is older than the retention.
create table audit_event (
    id         bigint generated always as identity primary key,
    -- The project the request acted in; null for the operator's requests outside any project (creating one).
    project_id bigint       references project (id) on delete cascade,
    at         timestamptz  not null,
    key_id     uuid,
    key_name   varchar(128),
    method     varchar(8)   not null,
    path       varchar(2048) not null,
    status     integer      not null
);

create index audit_event_project on audit_event (project_id, id);
create index audit_event_at on audit_event (at);
