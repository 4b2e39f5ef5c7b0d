-- The solidarity messages a handover counted, stored with its counts (7 December 2026). A pack printed the messages
-- approved by a review dated at or before the handover's record time and not taken out by corrections recorded by
-- then: read again when the pack was built, from reviews and corrections that may have arrived after the handover
-- froze its counts (a review dated before it but still on Kafka then, or a clock of petition-service's ahead of this
-- service's), so the pages and the cover's count could differ by a message (docs/reliability.md, "Open defects", a
-- read-only review of 6 December 2026). Now the freeze reads the messages once, counts them and keeps their ids, and
-- the pack prints those. A handover recorded before this version has none here and is printed as before.
create table handover_message (
    delivery_id uuid not null references handover (delivery_id),
    action_id   uuid not null,
    primary key (delivery_id, action_id)
);
