-- Per campaign × case × entity: the grain the live stream and the public counters read every ~250 ms. Kept in the
-- same transaction as tally, so it is always the exact sum of its cells; small enough to read whole.
create table tally_summary (
    campaign_id varchar(64) not null,
    case_id     varchar(64) not null,
    entity_id   varchar(64) not null,
    count       bigint      not null,
    updated_at  timestamptz not null default now(),
    primary key (campaign_id, case_id, entity_id)
);
insert into tally_summary (campaign_id, case_id, entity_id, count)
select campaign_id, case_id, entity_id, sum(count) from tally group by 1, 2, 3;

-- Deliveries as delivery-service announces them (topic "deliveries"); status planned | handed-over | cancelled.
create table delivery (
    delivery_id uuid primary key,
    campaign_id varchar(64) not null,
    case_id     varchar(64) not null,
    kind        varchar(16),
    status      varchar(16) not null,
    changed_at  timestamptz not null default now()
);

-- One row per entity of each handover, with the count frozen at its cut-off ('' = the handover named no entity).
create table handover_count (
    event_id    uuid         not null,
    delivery_id uuid         not null,
    campaign_id varchar(64)  not null,
    case_id     varchar(64)  not null,
    kind        varchar(16)  not null,
    entity_id   varchar(64)  not null,
    count       bigint       not null,
    cutoff      timestamptz,
    primary key (event_id, entity_id)
);
create index handover_count_case on handover_count (campaign_id, case_id);

-- Scratch space of the reconcile job: the same counting, from the beginning of the topic, without touching the
-- live tables. Unlogged: it is rebuilt from Kafka whenever needed.
create unlogged table rebuild_event (
    event_id uuid primary key
);
create unlogged table rebuild_tally (like tally including all);
create unlogged table rebuild_summary (like tally_summary including all);
