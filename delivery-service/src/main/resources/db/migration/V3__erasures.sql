-- Erasures of signers and message authors (topic 'erasures'). This service stores no signer or author data: packs
-- are built from petition-service on demand. What it keeps is which cases lost personal data, so a pack built while
-- an erasure arrived is refused (the rows of a case only grow: a count taken before building is compared after), and
-- which handovers had copies of a pack issued before an erasure: those copies must be destroyed and a new pack issued.
create table case_erasure (
    erasure_id uuid        not null,
    case_id    varchar(64) not null,
    erased_at  timestamptz not null,
    applied_at timestamptz not null default now(),
    primary key (case_id, erasure_id)
);

create table handover_erasure (
    delivery_id uuid        not null references handover (delivery_id),
    erasure_id  uuid        not null,
    erased_at   timestamptz not null,
    applied_at  timestamptz not null default now(),
    primary key (delivery_id, erasure_id)
);
