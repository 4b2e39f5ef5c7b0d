-- Read-only audit, 4 December 2026: whether a pack copy was issued before or after an erasure was decided by comparing
-- two clocks. applied_at defaulted to now(), the start of the erasure batch's transaction, taken before it waited for
-- the case's case_hold row lock; pack_issue.issued_at was the JVM's clock when the pack was stored. A pack issued
-- while the erasure waited (it holds the lock shared, the erasure exclusively) therefore had issued_at > applied_at:
-- its copy, which holds the erased names, passed as "the new pack" and was dated after "destroy copies issued before".
--
-- The order is now the lock's: an erasure records the highest pack_issue id of the handover it marks, read in the
-- statement that runs once it holds the case's row lock, when every pack issued before it has committed and none can
-- be issued until it does (pack_issue.id comes from a sequence, taken under the shared lock). "A new pack was issued"
-- is a pack_issue id above it. Both clocks shown (applied_at, issued_at) are the database's clock_timestamp(), taken in
-- those same statements, so "destroy copies issued before" sits between the two kinds of copy.
alter table handover_erasure add column last_issue_id bigint;

-- Marks made before this migration: the copies issued up to applied_at as before (the best that is known), and at
-- least the handover's first copy, without which the erasure would not have marked it.
update handover_erasure e set last_issue_id = coalesce(
        (select max(p.id) from pack_issue p where p.delivery_id = e.delivery_id and p.issued_at <= e.applied_at),
        (select min(p.id) from pack_issue p where p.delivery_id = e.delivery_id));

alter table handover_erasure alter column last_issue_id set not null;
comment on column handover_erasure.last_issue_id is
    'highest pack_issue.id of the handover when the erasure was applied: those copies hold erased names (V6)';

-- the statements set it themselves; a default that is a transaction's start is what went wrong
alter table handover_erasure alter column applied_at set default clock_timestamp();
alter table case_erasure alter column applied_at set default clock_timestamp();
