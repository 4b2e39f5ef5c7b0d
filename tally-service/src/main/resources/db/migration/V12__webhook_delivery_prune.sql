-- WebhookPrune deletes deliveries delivered or given up longer than w4r.webhooks.keep-for ago: by the later of when
-- they were queued and when they were last done (a dead one replayed and delivered counts from its delivery).
create index webhook_delivery_done on webhook_delivery (greatest(created_at, coalesce(delivered_at, next_attempt_at)))
    where state <> 'pending';
