-- The hold copy keeps the highest case version seen: two case-service instances relay their outboxes independently,
-- so an older state of a case (no hold) may arrive after a newer one (the hold) and must not overwrite it.
-- A hold's reason and who placed it no longer travel on the stream (staff read them in case-service): only its id.
alter table case_hold
    drop column reason,
    drop column placed_by,
    add column hold_id bigint,
    add column version bigint not null default -1;
