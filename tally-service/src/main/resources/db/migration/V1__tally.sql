-- Every event applied, so that a redelivered or republished event is never counted twice. Written in the same
-- transaction as the count change it causes.
create table processed_event (
    event_id     uuid primary key,
    processed_at timestamptz not null default now()
);

-- Exact counts at the finest grain; every total is a sum over these rows. case_id '' means "no case".
create table tally (
    campaign_id varchar(64) not null,
    case_id     varchar(64) not null,
    entity_id   varchar(64) not null,
    action_type varchar(16) not null,
    mode        varchar(8)  not null,
    day         date        not null,
    count       bigint      not null,
    primary key (campaign_id, case_id, entity_id, action_type, mode, day)
);
