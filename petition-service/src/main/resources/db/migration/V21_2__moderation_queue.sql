-- the moderation queue at campaign scale (issue 21.2): a campaign's waiting messages, page after page in the queue's
-- order (keyset on occurred_at, action_id), and its counts by case, entity and language, read from this index alone
create index message_waiting on message (campaign_id, occurred_at, action_id)
    where status = 'pending' and erased_at is null;
