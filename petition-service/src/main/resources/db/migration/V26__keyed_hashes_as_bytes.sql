-- Issue 20 (7 December 2026): every keyed hash (HMAC-SHA256) is stored as its 32 bytes, no longer as 64 hex
-- characters. The index that keeps one signature per person and case, on (email_hmac, case_id), takes a random entry
-- per signature; at 64 characters it was about 150 bytes an entry, 249 MB for 1.66 million signatures, larger than
-- PostgreSQL's default shared_buffers, and the signature insert was 45 % of PostgreSQL's statement time in a replay
-- (docs/benchmarks.md). In a scratch copy of the table, 2 million inserts in batches of 1,000: that index 238 MB ->
-- 146 MB, the heap 460 MB -> 332 MB, the WAL 1,437 MB -> 951 MB. petition-service keeps the hashes as hex strings
-- where it compares them and where its API shows them; its SQL decodes them where they go in and encodes them where
-- they come out (the message entity holds the bytes, as its column does).
--
-- It rewrites signature and message under an exclusive lock, with their indexes, in one pass each (the checks are
-- validated in it); docs/operations.md, "Upgrade", gives the time per million signatures. Statements of the version
-- before name the old types and fail once it has run: stop petition-service's old instances before starting this one.
--
-- Every lock it needs, first, in the order writers take theirs: a write asks the guard (erased_signer) before it
-- inserts into message or signature. Taken table by table as the statements below reach them, an old instance's
-- message write holding erased_signer while this held message would deadlock with it (a review of this migration).
-- An old erasure locks its rows before it records, the other way round: against one in flight PostgreSQL ends the
-- cycle by aborting one of the two, and if that is this migration the instance fails to start and tries again. Hence
-- docs/operations.md: stop the old instances first.
lock table erased_signer, message, signature in access exclusive mode;

drop function erased_signer_guard(bpchar, varchar);
drop function erasure_lock_key(bpchar);

alter table signature
    alter column email_hmac type bytea using decode(email_hmac, 'hex'),
    alter column email_domain_hmac type bytea using decode(email_domain_hmac, 'hex'),
    add constraint signature_email_hmac_length check (octet_length(email_hmac) = 32),
    add constraint signature_email_domain_hmac_length check (octet_length(email_domain_hmac) = 32);
alter table message
    alter column author_email_hmac type bytea using decode(author_email_hmac, 'hex'),
    add constraint message_author_email_hmac_length check (octet_length(author_email_hmac) = 32);
alter table erased_signer
    alter column email_hmac type bytea using decode(email_hmac, 'hex'),
    add constraint erased_signer_email_hmac_length check (octet_length(email_hmac) = 32);

-- As V25's, of the bytes: the low six bits of the hash's first 32 are the low six of its fourth byte
-- (ErasureRepository.lockKey computes the same in Java from the hex).
create function erasure_lock_key(hmac bytea) returns integer
    language sql immutable strict parallel safe
    as $$ select get_byte(hmac, 3) & 63 $$;

-- V25's guard, unchanged but for the hash's type.
create function erased_signer_guard(hmac bytea, entity varchar) returns boolean
    language plpgsql volatile
    as $$
declare
    erased boolean;
begin
    if hmac is null then
        return false;
    end if;
    perform pg_advisory_xact_lock_shared(hashtext('w4r-erasure'), erasure_lock_key(hmac));
    select exists (select 1 from erased_signer where email_hmac = hmac and scope in ('', entity)) into erased;
    return erased;
end $$;

-- A column's statistics go with its old type, and a rewrite is no change to autovacuum: the erasure's lookup by hash
-- and the anomaly scan's grouping by domain would be planned on defaults until it ran.
analyze signature;
analyze message;
analyze erased_signer;
