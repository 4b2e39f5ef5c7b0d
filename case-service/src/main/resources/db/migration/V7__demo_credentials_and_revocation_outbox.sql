-- A credential the demo registered (DemoLoader): revoked at the first start with the demo off, so a demo token, a
-- case-manager one that can mint more among them, no longer works for ever once staff have another way in.
alter table credential add column demo boolean not null default false;
-- The outbox row that announced the credential's revocation: a revocation sent again answers from it (on Kafka yet
-- or not) instead of publishing, auditing and waiting again (a key looping over it once held a pooled connection
-- for up to 2 s each time).
alter table credential add column revoked_outbox_id bigint;

-- The demo's credentials so far: register() is the only writer of 'credential.registered', and the demo its only
-- caller. A database loaded before the audit trail (2 December 2026) has no such entry: its four demo staff tokens are
-- found by name (every other token has had an expiry since V3); its demo entity keys only by the credentials file's
-- hashes, which the start with the demo off also matches while that file is there.
update credential set demo = true
 where key_id in (select subject_id from audit_entry where action = 'credential.registered')
    or (entity_id is null and expires_at is null
        and principal in ('demo-coordinator', 'demo-case-manager', 'demo-delivery', 'demo-moderator'));
-- Demo credentials expire as a staff token does by default; the start-up snapshot announces the new expiry.
update credential set expires_at = now() + interval '90 days'
 where demo and expires_at is null and revoked_at is null;
