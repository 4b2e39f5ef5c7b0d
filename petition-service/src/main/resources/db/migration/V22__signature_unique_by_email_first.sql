-- An erasure finds a signer's signatures by the keyed email hash alone (ErasureService, SignatureRepository.ERASE).
-- The one-signature-per-person-per-case index led with case_id, so every erasure read the whole signature table
-- (3.7 GB after a full replay) under an update, and an entity key can send erasures at its rate. The same uniqueness,
-- led by the hash, serves both lookups: the insert's conflict check names both columns (order does not matter there),
-- and no extra index is written per signature.
--
-- Built inside the migration's transaction, not CONCURRENTLY (Flyway's transactional lock deadlocks with a concurrent
-- build): signature writes wait while it builds, seconds on a campaign's table; see docs/operations.md, "Upgrade".
create unique index signature_email_case on signature (email_hmac, case_id);
alter table signature drop constraint signature_case_id_email_hmac_key;
alter table signature add constraint signature_email_case unique using index signature_email_case;
