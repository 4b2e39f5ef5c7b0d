-- The outbox becomes a log read by position (issue 20). A row is inserted with the change it announces and never
-- deleted: the relay remembers how far it has sent (outbox_position) and empties a partition at a time with TRUNCATE
-- once every row in it has been sent. Each event used to cost an insert and a delete, and the deleted rows a vacuum;
-- now it costs the insert alone.
--
-- Reading by id alone would lose rows: ids come from a sequence before commit, so a row with a smaller id can become
-- visible after a larger one was sent. Each row therefore records its transaction (tx), and the position records the
-- snapshot of the relay's last batch: a row is sent once its id is at most sent_id and its transaction had ended when
-- that snapshot was taken. OutboxRelay says why that sends every row once and each key's rows in order.
alter table outbox rename to outbox_queue;
alter sequence outbox_id_seq owned by none;
alter table outbox_queue alter column id drop default;

-- Four partitions in a ring of 2^18 ids each (about 262,000 events): while one is written, the one before is emptied.
-- A primary key must include the partition key, which an expression cannot be; ids are unique by their sequence.
create table outbox (
    id           bigint       not null default nextval('outbox_id_seq'),
    topic        varchar(100) not null,
    event_key    varchar(200) not null,
    payload      text,
    created_at   timestamptz  not null default now(),
    trace_parent text,
    trace_state  text,
    tx           xid8         not null default pg_current_xact_id()
) partition by list (((id >> 18) & 3));
create table outbox_0 partition of outbox for values in (0);
create table outbox_1 partition of outbox for values in (1);
create table outbox_2 partition of outbox for values in (2);
create table outbox_3 partition of outbox for values in (3);
alter sequence outbox_id_seq owned by outbox.id;

-- the rows still waiting in the queue, then the indexes (built once, not row by row): writers wait meanwhile, on the
-- rename's lock, for as long as the copy of the backlog takes
insert into outbox (id, topic, event_key, payload, created_at, trace_parent, trace_state)
select id, topic, event_key, payload, created_at, trace_parent, trace_state from outbox_queue order by id;
drop table outbox_queue;
create index outbox_id on outbox (id);
create index outbox_tx on outbox (tx);

-- A relay of the version before this one, still running during a rolling upgrade, would read this log as its queue
-- ("select ... for update", then delete): it would send rows already sent, and a key's earlier event after its later
-- one. It locks what it reads, which needs UPDATE; this relay never updates or deletes an outbox row. So the owner
-- (the service's role) gives both up, and an old relay fails before it sends anything. A superuser is not stopped by
-- this: a platform whose services connect as one (none of ./platform, compose or Kubernetes do) stops them all first.
revoke update, delete on outbox from current_user;

-- One row: every outbox row with id <= sent_id whose transaction had ended at snap has been sent (or set aside).
-- While the relay works through more late rows than a batch takes (a bulk invalidation commits 200,000 at once),
-- late_snap is the snapshot it started from, and the late rows up to late_id of transactions that had ended at
-- late_snap have been sent too.
create table outbox_position (
    singleton boolean     primary key default true check (singleton),
    sent_id   bigint      not null,
    snap      pg_snapshot not null,
    late_snap pg_snapshot,
    late_id   bigint      not null default 0
);
insert into outbox_position (sent_id, snap) values (0, pg_current_snapshot());

-- The rows not yet sent, for whoever asks how far behind the relay is (metrics, health, a hold waiting to be on Kafka).
-- Two branches, so that each reads by an index: rows past the position (the id index), and late rows below it (the
-- transaction index: in flight at snap means at or past its xmax, or among its in-flight ids). The position is read
-- once per query (sub-selects), and "id + 0" keeps the late branch off the id index, which would read every row sent.
create view outbox_backlog as
select o.* from outbox o where o.id > (select sent_id from outbox_position)
union all
select o.* from outbox o
 where o.id + 0 <= (select sent_id from outbox_position)
   and (o.tx >= (select pg_snapshot_xmax(snap) from outbox_position)
        or o.tx = any(array(select pg_snapshot_xip(snap) from outbox_position)))
   and not coalesce((select pg_visible_in_snapshot(o.tx, late_snap) and o.id <= late_id from outbox_position), false);
