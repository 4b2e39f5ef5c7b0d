-- The snapshot a relay batch read its rows in, kept (before it sends them) with the position the batch started from.
-- A batch whose sends went out but whose new position was never recorded (the instance killed, the connection lost,
-- one ack timed out) must be sent again first and as it was: a transaction that commits in between, with more late
-- rows than a batch (a bulk invalidation), otherwise came first, and the second copy of the batch's events reached
-- the consumers after the whole drain, further from the first than their dedupe window (a read-only review, 6 December
-- 2026; docs/reliability.md). The next batch from that same position reads only the rows visible in this snapshot.
-- Snapshots are kept as text: pg_snapshot has no equality to compare positions by.
create table outbox_attempt (
    singleton    boolean primary key default true check (singleton),
    from_sent_id bigint  not null,
    from_snap    text    not null,
    from_late    text,
    from_late_id bigint  not null,
    snap         text    not null
);
