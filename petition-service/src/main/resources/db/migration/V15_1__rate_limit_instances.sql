-- The live instances of petition-service, so each enforces its share of the rate limits (docs/security.md
-- "Rate limits"): every instance refreshes its row every few seconds; a row not refreshed for three beats is gone.
create table rate_limit_instance (
    instance_id uuid primary key,
    seen_at     timestamptz not null
);
