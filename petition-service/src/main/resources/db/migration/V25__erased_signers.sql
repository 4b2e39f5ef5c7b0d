-- Found by a read-only review, 6 December 2026: an erasure changed only the rows committed before it and remembered
-- nothing, so a name that reached the database after it was stored for good: an entity's retry of a signature
-- answered 503 (nothing stored), sent again after the person was erased; a signature waiting in the group commit's
-- queue, or a message inside a large batch, while the erasure committed (its update cannot see uncommitted rows).
-- An erasure now leaves its keyed email hash here, in its own transaction, and every signature and message written
-- after it is stored as the erasure leaves its rows: counted, without name, country, consents or text.
create table erased_signer (
    -- HMAC-SHA256 of the normalised email, as signature.email_hmac: never the address
    email_hmac char(64)    not null,
    -- the entity whose erasure it was, which erases only what is taken through it; '' for a coordinator's (every entity)
    scope      varchar(64) not null,
    erased_at  timestamptz not null,
    primary key (email_hmac, scope)
);

-- The advisory lock that orders an erasure against concurrent writes of the same person, in the two-key form under
-- its own class (hashtext('w4r-erasure')), so it meets no other lock of this database. One of 64 keys (the low six
-- bits of the hash's first 32; ErasureRepository.lockKey computes the same in Java): a key per person put one entry
-- per signer of a group or batch in PostgreSQL's shared lock table (64 per connection by default), which a few batches
-- of 1,000 at once would have filled ("out of shared memory"); 64 keys bound it at 64 per transaction. People sharing
-- a key wait for each other's erasure, which is short and rare. Every writer takes its keys in ascending order.
create function erasure_lock_key(hmac bpchar) returns integer
    language sql immutable strict parallel safe
    as $$ select ('x' || substr(hmac, 1, 8))::bit(32)::int & 63 $$;

-- What every signature and message insert asks before it writes: whether the person was erased for this entity.
-- The lock is shared (writers never wait for each other), held to the end of the writer's transaction; an erasure
-- takes it exclusively before it records and updates. So a write that holds it first has committed before the
-- erasure's update reads (which then erases it), and one that waits for it reads the record once the erasure has
-- committed. The lookup runs after the lock with a snapshot of its own (a volatile function takes one per query):
-- the snapshot of the calling statement, taken before the wait, could not see the record.
create function erased_signer_guard(hmac bpchar, entity varchar) returns boolean
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
