-- A null payload is a tombstone (a revoked credential leaves its compacted topic).
alter table outbox alter column payload drop not null;

-- Rows the relay could not send and set aside, so one bad row never stops every later event behind it (an event
-- past the producer's size limit once stopped every hold and revocation from propagating). Visible to staff and
-- counted in health; a person decides, nothing is retried automatically.
create table outbox_dead_letter (
    id         bigint       primary key,
    topic      varchar(100) not null,
    event_key  varchar(200) not null,
    payload    text,
    created_at timestamptz  not null,
    failed_at  timestamptz  not null default now(),
    error      varchar(1000) not null
);
