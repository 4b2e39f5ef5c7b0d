-- Bulk invalidation (docs/petition-service.md "Bulk invalidation"): a coordinator's decision to take a selection of
-- accepted signatures and online actions out of the counts, kept on record with what was selected and why.
create table invalidation (
    invalidation_id uuid         primary key,
    -- what the coordinator selected (campaign, case, entity, time range, email domain, country, type), as JSON
    selection       jsonb        not null,
    reason          text         not null,
    actions         int          not null check (actions > 0),
    -- how many per case and entity, as the preview showed them: [{caseId, entityId, actions}]
    breakdown       jsonb        not null,
    -- the staff principal (a token's principal or an IdP subject), never a name
    created_by      varchar(100) not null,
    created_at      timestamptz  not null,
    reversed_at     timestamptz,
    reversed_by     varchar(100),
    check ((reversed_at is null) = (reversed_by is null))
);
create index invalidation_created on invalidation (created_at);

-- the invalidation an accepted action is taken out by; null while it counts
alter table signature add column invalidation_id uuid references invalidation (invalidation_id);
alter table online_action add column invalidation_id uuid references invalidation (invalidation_id);
create index signature_invalidation on signature (invalidation_id) where invalidation_id is not null;
create index online_action_invalidation on online_action (invalidation_id) where invalidation_id is not null;

-- the keyed hash of the signer's email domain (SignerHasher.hashDomain), so a flood can be selected by domain
-- without the domain in clear beside a signer. Signatures stored before this column have none: their email is kept
-- only as its own keyed hash, so the domain cannot be recovered to fill it.
alter table signature add column email_domain_hmac char(64);

-- a flood is selected by when it was accepted
create index signature_recorded on signature (recorded_at);
create index online_action_recorded on online_action (recorded_at);
