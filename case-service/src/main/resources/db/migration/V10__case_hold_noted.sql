-- The hold of a case that only the 'cases' topic has (created and held after the backup this database was restored
-- from) and that a start could not rebuild here (its campaign or entity is missing too): CaseReconciliation notes it,
-- and creating that id places it again. Without it the case created again was announced new and unheld above the
-- held record every service keeps, and the hold was lifted everywhere, unaudited (a read-only review, 6 December 2026).
create table case_hold_noted (
    case_id        varchar(64) primary key,
    hold_id        bigint      not null,
    placed_at      timestamptz not null,
    topic_revision bigint      not null,
    noted_at       timestamptz not null
);
