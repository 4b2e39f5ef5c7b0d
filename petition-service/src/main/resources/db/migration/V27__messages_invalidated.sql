-- A bulk invalidation selects solidarity messages too (docs/petition-service.md, "Bulk invalidation"). Until now a
-- message left the counts only by a moderator's abuse rejection, and an erased message is no longer moderated, so a
-- flood of messages whose authors were erased before moderation stayed counted (docs/reliability.md, a read-only
-- review of 6 December 2026).
alter table message add column invalidation_id uuid references invalidation (invalidation_id);
create index message_invalidation on message (invalidation_id) where invalidation_id is not null;
-- a flood is selected by when it was accepted, as signatures and online actions are (V16)
create index message_recorded on message (recorded_at);

-- Whether a rejection was for abuse, which took the message out of the counts by a correction of its own: true, false
-- for any other review, null while pending or where it is not known. An invalidation selects a rejected message only
-- when this is false, so a message is never taken out twice.
alter table message add column abuse boolean;
-- Known for every review since the audit trail began (3 December 2026): each review wrote one entry, with
-- "abuse": true for an abuse rejection and no "abuse" otherwise. A review older than the trail stays null (unknown),
-- and such a rejected message is never selected.
update message m set abuse = exists (select 1 from audit_entry a where a.action = 'message.reviewed'
                                         and a.subject_id = m.action_id::text and a.detail ->> 'abuse' = 'true')
where m.status <> 'pending'
  and exists (select 1 from audit_entry a where a.action = 'message.reviewed' and a.subject_id = m.action_id::text);
