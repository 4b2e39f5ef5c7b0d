-- Exactly once without a row per event (issue 20): per partition of a consumed topic, the next offset to apply and,
-- one row per applied batch, the event ids of the last w4r.consumer.dedupe-window records (service-kit
-- ConsumedBatches; docs/reliability.md argues why that is enough). Both written in the transaction of the counts.
-- The progress row is locked by every batch, so two consumers briefly on one partition apply a record once.
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

-- No longer written. Kept, read only for the first window of each partition after this upgrade: events applied before
-- it whose offsets were not yet committed come again, and only this table knows them. A later migration drops it.
comment on table processed_event is 'no longer written (V3); read for the first window of each partition only';

-- The recount keeps its window in memory.
drop table rebuild_event;
