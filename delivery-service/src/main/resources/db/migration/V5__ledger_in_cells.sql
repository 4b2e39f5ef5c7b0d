-- Issue 20: the ledger of actions is kept in cells, not one row per action. A cell is one (campaign, case, entity,
-- type) in one second: its count is the sum of every change dated in that second, and the changes dated inside the
-- second (not on it) are kept beside it as (microsecond, change) pairs, so a cut-off anywhere inside a second still
-- counts exactly what occurred_at <= cutoff counted from the old rows (docs/delivery-service.md, "The ledger").
-- One upsert per cell per consumed batch; exactly once comes from the kit's per-batch window (ConsumedBatches),
-- stored in the same transaction, instead of the ledger's event-id key.
create table action_count (
    campaign_id varchar(64) not null,
    case_id     varchar(64) not null,
    entity_id   varchar(64) not null,
    action_type varchar(16) not null,
    at_second   timestamptz not null,
    count       bigint      not null,
    -- the changes dated inside the second: micros[i] microseconds after at_second, changes[i] actions (same length)
    micros      integer[]   not null default '{}',
    changes     bigint[]    not null default '{}',
    primary key (campaign_id, case_id, entity_id, action_type, at_second)
);

insert into action_count (campaign_id, case_id, entity_id, action_type, at_second, count, micros, changes)
select campaign_id, case_id, entity_id, action_type, date_trunc('second', occurred_at), sum(count_change),
       coalesce(array_agg(micro order by micro) filter (where micro > 0), '{}'),
       coalesce(array_agg(count_change order by micro) filter (where micro > 0), '{}')
from (select l.*, ((extract(epoch from occurred_at) * 1000000)::bigint % 1000000)::integer as micro
      from action_ledger l) l
group by 1, 2, 3, 4, 5;

-- The kit's window of consumed batches (the same tables as tally-service's V3).
create table consumer_progress (
    topic           varchar(249) not null,
    kafka_partition integer      not null,
    next_offset     bigint       not null,
    -- the first offset applied this way: the window after it may still hold events recorded in processed_event
    since_offset    bigint       not null,
    primary key (topic, kafka_partition)
);
create table consumed_batch (
    topic           varchar(249) not null,
    kafka_partition integer      not null,
    first_offset    bigint       not null,
    last_offset     bigint       not null,
    event_ids       uuid[]       not null,
    primary key (topic, kafka_partition, first_offset)
);
alter table consumed_batch set (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 1000);

-- Actions applied before this upgrade whose offsets were not committed yet come again (and a re-publication may
-- follow an original applied before it): only the ledger's keys knew them. Their ids go where the kit looks for ids
-- applied before its window existed, for the first window of each partition; erasures, which now use the window too,
-- are already there. No longer written; a later migration drops it.
insert into processed_event (event_id) select event_id from action_ledger on conflict do nothing;
comment on table processed_event is
    'no longer written (V5): ids applied before the window, read for the first window of each partition only';

drop table action_ledger;
