-- The order deliveries were queued in. created_at is the transaction's start, so the events one transaction queues (a
-- hold and its release read in one batch) shared it and the deliveries log showed them in the order of their random
-- ids: "newest first" was a coin toss between them. Identity values follow the order of the inserts.
alter table webhook_delivery add column queued bigint generated always as identity;
drop index webhook_delivery_recent;
create index webhook_delivery_recent on webhook_delivery (webhook_id, queued desc);
