-- A relay that lost its lock could still send the batch it had read, and its copies could land after the next relay's
-- newer events for the same key: on a compacted topic the older state then stayed last (a key revoked just before the
-- stall active again, a hold lifted; a read-only review, 6 December 2026; docs/reliability.md). The attempt a batch
-- keeps before it sends now says whose it is and until when its sends may still reach Kafka (the keeper's own fence:
-- its send window, its producer's max.block.ms + delivery.timeout.ms, a margin), and is kept only while the batch's
-- own session still holds the relay lock. Another relay does not send from that position before expires_at; a batch
-- that fails brings it forward to a margin after its last send ended (OutboxRelay.Attempt).
alter table outbox_attempt
    add column relay      uuid,
    add column attempt_id uuid,
    add column kept_at    timestamptz,
    add column expires_at timestamptz;

-- An attempt kept by the version before may have sends out now: a minute, that version's longest (40 s) and more.
update outbox_attempt set relay = '00000000-0000-0000-0000-000000000000', attempt_id = gen_random_uuid(),
                          kept_at = clock_timestamp(), expires_at = clock_timestamp() + interval '1 minute';

-- The relay of the version before, still running during a rolling upgrade, must not send: it does not honour the
-- fence. Its keep writes none of the new columns, which have no default, so it is refused (a null in a not-null
-- column, checked before its "on conflict"); and the snapshot it reads when it finds an attempt at its position (it
-- then sends without keeping) is renamed, so that read fails too (a second review of the fence, 7 December 2026).
alter table outbox_attempt rename column snap to attempt_snap;
alter table outbox_attempt
    alter column relay set not null,
    alter column attempt_id set not null,
    alter column kept_at set not null,
    alter column expires_at set not null;
