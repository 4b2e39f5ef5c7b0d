-- Read-only review, 6 December 2026: a signer list read with GET /api/v1/cases/{caseId}/signers.csv left no trace
-- here, not even in the audit trail, and an erasure could not tell anyone that a list taken before it holds the
-- erased names (delivery-service marks its own packs and previews, but a delivery-role token can export directly).
-- Every export is now recorded (who, which case and entity, up to when, how many names; never a name), and an
-- erasure marks the exports of its cases taken before it: those copies must be destroyed.
create table signer_export (
    id          bigserial    primary key,
    case_id     varchar(64)  not null,
    entity_id   varchar(64),
    cutoff      timestamptz  not null,
    exported_by varchar(100) not null,
    exported_at timestamptz  not null default clock_timestamp(),
    signers     integer      not null
);
create index signer_export_case on signer_export (case_id, id);

-- "Taken before the erasure" is the order of a per-case lock (an export holds it shared while it reads and records,
-- an erasure exclusively before it marks), not a comparison of clocks: an export whose read could still see the
-- names has committed its row when the erasure marks, and one that starts after reads the names erased.
create table signer_export_erasure (
    export_id  bigint      not null references signer_export (id),
    erasure_id uuid        not null,
    erased_at  timestamptz not null,
    marked_at  timestamptz not null default clock_timestamp(),
    primary key (export_id, erasure_id)
);
