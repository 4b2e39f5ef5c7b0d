-- The order deliveries were queued in. created_at is the transaction's start, so the events one transaction queues (a
-- hold and its release read in one batch) shared it and the deliveries log showed them in the order of their random
-- ids: "newest first" was a coin toss between them. Identity values follow the order of the inserts.
alter table webhook_delivery add column queued bigint generated always as identity;
drop index webhook_delivery_recent;
create index webhook_delivery_recent on webhook_delivery (webhook_id, queued desc);

-- The case whose safety hold holds a delivery back: a milestone.reached is not sent while its case is held, whenever
-- it was queued (a retry, a replay, one queued just before the hold); null for what is sent whatever the holds (the
-- hold and release themselves, a case's changes, an entity's totals).
alter table webhook_delivery add column hold_case_id varchar(64);
update webhook_delivery set hold_case_id = body::jsonb ->> 'caseId' where event_type = 'milestone.reached';
