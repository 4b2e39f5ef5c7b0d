-- online actions other than signatures and messages (letters, emails, tweets, …): kept for audit and re-checks
create table online_action (
    action_id   uuid primary key,
    campaign_id varchar(64) not null,
    case_id     varchar(64),
    entity_id   varchar(64) not null,
    type        varchar(16) not null,
    occurred_at timestamptz not null,
    recorded_at timestamptz not null
);

-- solidarity messages; only approved ones are ever delivered
create table message (
    action_id      uuid primary key,
    campaign_id    varchar(64)  not null,
    case_id        varchar(64)  not null,
    entity_id      varchar(64)  not null,
    author_name    text,
    author_country char(2),
    text           text         not null,
    language       varchar(16),
    status         varchar(10)  not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
    reviewed_by    varchar(100),
    reviewed_at    timestamptz,
    review_reason  text,
    occurred_at    timestamptz  not null,
    recorded_at    timestamptz  not null
);
create index message_queue on message (case_id, status, recorded_at);

-- offline counts are a ledger: an entry is never edited; a correction is a new entry
create table offline_count (
    action_id   uuid primary key,
    campaign_id varchar(64) not null,
    case_id     varchar(64),
    entity_id   varchar(64) not null,
    type        varchar(16) not null,
    count       bigint      not null check (count between 1 and 1000000),
    event_name  text        not null,
    event_date  date        not null,
    event_place text,
    occurred_at timestamptz not null,
    recorded_at timestamptz not null
);

create table offline_correction (
    correction_id uuid primary key,
    action_id     uuid        not null references offline_count (action_id),
    delta         bigint      not null check (delta <> 0),
    reason        text        not null,
    recorded_at   timestamptz not null
);

-- safe retries: the first answer to an Idempotency-Key, stored in the transaction of its effect
create table idempotency_key (
    principal    varchar(100) not null,
    key          varchar(200) not null,
    request_hash char(64)     not null,
    status       int          not null,
    response     text         not null,
    created_at   timestamptz  not null default now(),
    primary key (principal, key)
);
create index idempotency_key_age on idempotency_key (created_at);

-- an erased signer keeps only the keyed hash of their email, so they still count once
alter table signature alter column name drop not null;
