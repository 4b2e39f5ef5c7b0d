-- Delivery plans; a plan becomes 'delivered' (with a handover row) or 'cancelled', never both, never back.
create table delivery (
    id             uuid primary key,
    campaign_id    varchar(64)  not null,
    case_id        varchar(64)  not null,
    entity_id      varchar(64),
    kind           varchar(16)  not null check (kind in ('petition', 'solidarity')),
    recipient_kind varchar(32)  not null,
    recipient_name varchar(200) not null,
    city           varchar(100),
    country        varchar(2),
    planned_for    timestamptz  not null,
    status         varchar(16)  not null check (status in ('planned', 'delivered', 'cancelled')),
    planned_by     varchar(100) not null,
    planned_at     timestamptz  not null,
    cancelled_by   varchar(100),
    cancelled_at   timestamptz,
    cancel_reason  varchar(500)
);
create index delivery_case on delivery (case_id, planned_for);

-- A recorded handover, with its frozen total. Written once; only the pack digest is updated afterwards.
create table handover (
    delivery_id     uuid primary key references delivery (id),
    delivered_at    timestamptz   not null,
    cutoff          timestamptz   not null,
    delivered_by    varchar(200)  not null,
    notes           varchar(2000),
    evidence        text[]        not null default '{}',
    recorded_by     varchar(100)  not null,
    recorded_at     timestamptz   not null,
    total           bigint        not null,
    pack_sha256     varchar(64),
    pack_created_at timestamptz
);

-- The frozen counts of a handover, per entity and type: never updated, whatever arrives later.
create table handover_count (
    delivery_id uuid        not null references handover (delivery_id),
    entity_id   varchar(64) not null,
    action_type varchar(16) not null,
    count       bigint      not null,
    primary key (delivery_id, entity_id, action_type)
);

-- Every delivery pack served, so a recipient's copy can always be matched to its digest.
create table pack_issue (
    id          bigserial primary key,
    delivery_id uuid         not null references handover (delivery_id),
    sha256      varchar(64)  not null,
    issued_to   varchar(100) not null,
    issued_at   timestamptz  not null
);

-- Events of the 'actions' and 'moderation' topics already applied (idempotence on eventId).
create table processed_event (
    event_id     uuid primary key,
    processed_at timestamptz not null default now()
);

-- One row per action event for a case, so the count up to any cut-off is an exact sum. Corrections are rows with a
-- negative change and the corrected action's time.
create table action_ledger (
    event_id     uuid        primary key,
    action_id    uuid        not null,
    campaign_id  varchar(64) not null,
    case_id      varchar(64) not null,
    entity_id    varchar(64) not null,
    action_type  varchar(16) not null,
    occurred_at  timestamptz not null,
    count_change bigint      not null
);
create index action_ledger_case_time on action_ledger (case_id, occurred_at);

-- The latest moderation decision per solidarity message (by review time, whatever the arrival order).
create table message_review (
    action_id   uuid        primary key,
    campaign_id varchar(64) not null,
    case_id     varchar(64) not null,
    entity_id   varchar(64) not null,
    decision    varchar(16) not null,
    occurred_at timestamptz not null,
    reviewed_at timestamptz not null
);
create index message_review_case_time on message_review (case_id, occurred_at);

-- This service's copy of each case's hold, written from the case stream. A handover transaction locks the case's row
-- so that a hold is either committed before the handover's check (refused) or applied after its commit.
create table case_hold (
    case_id    varchar(64)  primary key,
    held       boolean      not null,
    reason     varchar(500),
    placed_by  varchar(100),
    placed_at  timestamptz,
    changed_at timestamptz  not null default now()
);
