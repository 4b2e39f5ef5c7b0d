-- Read-only review, 6 December 2026: a pack preview names the same consenting signers (or message authors) as a pack,
-- but only the audit trail said one was taken, so an erasure of its case marked nothing: whoever had saved the
-- preview was never told to destroy it. Each preview is now a recorded copy, as an issued pack is (pack_issue), and an
-- erasure marks every delivery of its cases with a preview taken before it, whatever the delivery's status (a plan
-- cancelled after a preview still left that PDF with someone).
create table pack_preview (
    id           bigserial    primary key,
    delivery_id  uuid         not null references delivery (id),
    cutoff       timestamptz  not null,
    sha256       varchar(64)  not null,
    previewed_by varchar(100) not null,
    previewed_at timestamptz  not null default clock_timestamp()
);
create index pack_preview_delivery on pack_preview (delivery_id);

-- As handover_erasure (V3, V6) for packs: "before" is the case_hold lock's order, the highest preview id the erasure
-- saw once it held the lock, not a comparison of clocks.
create table preview_erasure (
    delivery_id     uuid        not null references delivery (id),
    erasure_id      uuid        not null,
    erased_at       timestamptz not null,
    applied_at      timestamptz not null default clock_timestamp(),
    last_preview_id bigint      not null,
    primary key (delivery_id, erasure_id)
);
