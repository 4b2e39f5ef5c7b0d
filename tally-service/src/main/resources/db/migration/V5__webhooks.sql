-- Webhooks for entity websites (issue 15, point 4; docs/tally-service.md, "Webhooks"). An entity registers the URL of
-- its site; what concerns it is queued here and POSTed, signed, by the dispatcher of any instance.
create table webhook (
    id         uuid          primary key,
    entity_id  varchar(64)   not null,
    url        varchar(2048) not null,
    events     text[]        not null,
    -- the HMAC key: the receiver verifies with it, so it must be kept as such (never logged, shown once)
    secret     varchar(100)  not null,
    created_at timestamptz   not null default now(),
    -- a deleted webhook keeps its row (its deliveries refer to it) and is neither listed nor sent to
    deleted_at timestamptz
);
create index webhook_live_by_entity on webhook (entity_id) where deleted_at is null;

create table webhook_delivery (
    id              uuid        primary key,
    webhook_id      uuid        not null references webhook (id),
    -- the same for every webhook the event goes to, and for every attempt: the receiver's idempotency key
    event_id        uuid        not null,
    event_type      varchar(32) not null,
    body            text        not null,
    state           varchar(16) not null check (state in ('pending', 'delivered', 'dead')),
    attempts        integer     not null default 0,
    -- when a pending delivery is due; while an instance sends it, pushed ahead by the lease (a crash lets it come back)
    next_attempt_at timestamptz not null,
    last_status     integer,
    last_error      varchar(200),
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz,
    -- a re-consumed event, or the totals tick of two instances, is queued once
    unique (webhook_id, event_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where state = 'pending';
create index webhook_delivery_recent on webhook_delivery (webhook_id, created_at desc);

-- The last state of each case seen on `cases` by the webhook consumer: CaseChanged carries the whole state, so a hold
-- placed or lifted, or a close, is told from the state before it.
create table webhook_case_state (
    case_id varchar(64) primary key,
    version bigint      not null,
    hold_id bigint,
    status  varchar(16)
);
