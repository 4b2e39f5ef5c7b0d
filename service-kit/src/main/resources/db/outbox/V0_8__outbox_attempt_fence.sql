-- A relay that lost its lock could still send the batch it had read, and its copies could land after the next relay's
-- newer events for the same key: on a compacted topic the older state then stayed last (a key revoked just before the
-- stall active again, a hold lifted; a read-only review, 6 December 2026; docs/reliability.md). The attempt a batch
-- keeps before it sends now says whose it is and when it was kept, and is kept only while the batch's own session
-- still holds the relay lock. Another relay does not send from that position until the attempt is settled (every
-- send of it ended) or older than the fence (how long a send handed to the producer may still reach Kafka, plus the
-- window in which a batch may start its sends); OutboxRelay.Attempt.
alter table outbox_attempt
    add column relay      uuid,
    add column attempt_id uuid,
    add column kept_at    timestamptz,
    add column settled    boolean not null default true;
