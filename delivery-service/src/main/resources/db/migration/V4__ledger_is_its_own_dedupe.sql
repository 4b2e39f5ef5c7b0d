-- Issue 20: the 'actions' and 'moderation' topics no longer write a processed_event row per event. An action's ledger
-- row is keyed by its event id, and a review replaces only a strictly older one, so applying either again changes
-- nothing by itself. processed_event stays for the 'erasures' topic (a handful of events); the rows of actions, which
-- the ledger holds anyway, are let go.
delete from processed_event p using action_ledger a where p.event_id = a.event_id;
comment on table processed_event is 'event ids of the erasures topic already applied (actions and moderation: V4)';
