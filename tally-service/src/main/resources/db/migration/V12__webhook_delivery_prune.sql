-- WebhookPrune deletes deliveries delivered or dead for longer than w4r.webhooks.keep-for, by when they were queued.
create index webhook_delivery_done on webhook_delivery (created_at) where state <> 'pending';
