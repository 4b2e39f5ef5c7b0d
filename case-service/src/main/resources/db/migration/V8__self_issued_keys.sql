-- An entity key the entity issued itself (a rotation), as opposed to one a case manager issued for it: an entity may
-- issue only so many a day (w4r.credentials.entity-keys-per-day). Found reading the code, 5 December 2026: the cap on
-- active keys did not bound issue-and-revoke loops, and each turn wrote a credential row, an audit entry and two
-- events every service applies (a tombstone kept 30 days on the credentials topic).
alter table credential add column self_issued boolean not null default false;
-- the keys issued so far by their own entity, known from the audit trail (the quota looks back one day only)
update credential set self_issued = true
 where entity_id is not null
   and key_id in (select subject_id from audit_entry where action = 'key.issued' and actor_role = 'entity');
create index credential_self_issued on credential (entity_id, created_at) where self_issued;
