-- One outbox row for many events (issue 20). A transaction that announces many events (a group commit of single
-- signatures, a batch) wrote one row per event: the row, its two index entries and its WAL were about a third of
-- what PostgreSQL wrote per signature. Now consecutive events of one topic share a row, up to a size that keeps the
-- row inline on its page (OutboxRelay sends them in order, one record each). A transaction of one event still writes
-- a plain row.
--
-- A grouped row keeps its topic in group_topic and leaves topic null. That is on purpose: a relay of the version
-- before this one, still running during a rolling upgrade, reads topic, event_key and payload only. Given a grouped
-- row it builds a Kafka record with a null topic, which the Kafka client refuses before anything is sent; its batch
-- rolls back and it tries again later, while the new relays (which take the same lock) send the row. Had the topic
-- been kept, it would have sent the row as one tombstone and moved past its events: acknowledged actions never
-- counted.
--
-- The locks first, in the order every reader takes them: the view outbox_backlog (and through it outbox and
-- outbox_position), then outbox_dead_letter. Altering outbox first and dropping the view later deadlocked with readers
-- of the view (metrics, a hold waiting to be on Kafka) that arrived in between, and PostgreSQL could abort the
-- migration itself (found by a review, reproduced on a database of three million rows).
lock table outbox_backlog in access exclusive mode;
lock table outbox_dead_letter in access exclusive mode;

alter table outbox
    alter column topic drop not null,
    alter column event_key drop not null,
    add column group_topic   varchar(100),
    add column event_keys    text[],
    add column payloads      text[],
    add column trace_parents text[],
    add column trace_states  text[],
    add constraint outbox_plain_or_grouped check (
        (payloads is null and group_topic is null and topic is not null and event_key is not null)
        or (payloads is not null and group_topic is not null and topic is null and event_key is null
            and payload is null and cardinality(payloads) > 0
            and event_keys is not null and cardinality(event_keys) = cardinality(payloads)
            and array_position(event_keys, null) is null
            and (trace_parents is null or cardinality(trace_parents) = cardinality(payloads))
            and (trace_states is null or cardinality(trace_states) = cardinality(payloads))));

-- A grouped row stays under about 7 kB, so it is stored on its page as it is: above the default threshold (2 kB)
-- PostgreSQL would first try to compress it, a cost per row that the relay pays again to read it.
alter table outbox_0 set (toast_tuple_target = 8160);
alter table outbox_1 set (toast_tuple_target = 8160);
alter table outbox_2 set (toast_tuple_target = 8160);
alter table outbox_3 set (toast_tuple_target = 8160);

-- An event Kafka refused for good is set aside on its own, and a grouped row's others are sent: the dead letter is
-- the row's id and the event's place in it (0 for a plain row).
alter table outbox_dead_letter add column event_index int not null default 0;
alter table outbox_dead_letter drop constraint outbox_dead_letter_pkey;
alter table outbox_dead_letter add primary key (id, event_index);

-- The events not yet sent, one row each (a grouped row's events are unnested), so that every count of the backlog
-- (metrics, health, tests) counts events, as it did when each event was a row. The two branches read by an index
-- as before (V0_4).
drop view outbox_backlog;
create view outbox_backlog as
select o.id, e.event_index::int - 1 as event_index, coalesce(o.topic, o.group_topic) as topic, e.event_key,
       e.payload, o.created_at, e.trace_parent, e.trace_state, o.tx
  from (select * from outbox o where o.id > (select sent_id from outbox_position)
        union all
        select * from outbox o
         where o.id + 0 <= (select sent_id from outbox_position)
           and (o.tx >= (select pg_snapshot_xmax(snap) from outbox_position)
                or o.tx = any(array(select pg_snapshot_xip(snap) from outbox_position)))
           and not coalesce((select pg_visible_in_snapshot(o.tx, late_snap) and o.id <= late_id
                               from outbox_position), false)) o
 cross join lateral unnest(coalesce(o.event_keys, array[o.event_key]::text[]),
                           coalesce(o.payloads, array[o.payload]::text[]),
                           coalesce(o.trace_parents, array[o.trace_parent]::text[]),
                           coalesce(o.trace_states, array[o.trace_state]::text[]))
       with ordinality as e(event_key, payload, trace_parent, trace_state, event_index);
