-- 7 December 2026: a bulk invalidation in petition-service now takes solidarity messages out of the counts too (an
-- erased message is no longer moderated, so a flood of them had no way out). Its correction of -1 (and a reversal's +1)
-- reached this service's cells, but a solidarity handover counts approved reviews (message_review), which no
-- invalidation changes: an approved message taken out would still be frozen into a handover's count. Every correction
-- of a message (an abuse rejection sends -1 as well), with the time petition-service recorded it: a message whose
-- corrections up to an instant sum below zero was out of the counts then, whatever its review says, so a pack prints
-- the messages its handover counted, as reviews are read as of the handover (reviewed_at). Written from the actions
-- stream in the transaction that applies the batch, so exactly once, as the cells are.
create table message_correction (
    event_id    uuid        primary key,
    action_id   uuid        not null,
    change      bigint      not null,
    recorded_at timestamptz not null
);
create index message_correction_action on message_correction (action_id, recorded_at);
