-- The outbox row of the tombstone that announced a credential's expiry (CredentialExpiry). Revocations published a
-- tombstone, but nothing did when a key or token expired: its hash and principal stayed on the compacted credentials
-- topic for good, though every service refused it (a read-only review, 6 December 2026). Set once the tombstone is in
-- the outbox, so each expiry is announced once; the ones that expired before this are announced at the first run.
alter table credential add column expiry_outbox_id bigint;
create index credential_expiry_due on credential (expires_at)
 where revoked_at is null and expiry_outbox_id is null and expires_at is not null;
