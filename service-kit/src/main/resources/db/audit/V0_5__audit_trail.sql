-- The audit trail (service-kit): every staff and entity-key write, who made it, when, what and from where. Written in
-- the transaction of the change it records, so an entry exists if and only if the change was committed. It names
-- staff principals, entity ids and key ids, never a signer: no name, email, message text or hold reason goes in.
-- Version 0_5 sorts before every service's own migrations; services migrate out of order, so a database that already
-- holds them takes it as a new version.
create table audit_entry (
    id           bigserial    primary key,
    at           timestamptz  not null default clock_timestamp(),
    actor        varchar(200) not null,
    actor_role   varchar(40),
    actor_entity varchar(100),
    key_id       varchar(100),
    source       varchar(100),
    action       varchar(60)  not null,
    subject_type varchar(40)  not null,
    subject_id   varchar(200),
    entity_id    varchar(100),
    detail       jsonb        not null default '{}'::jsonb
);
create index audit_entry_at on audit_entry (at);
create index audit_entry_subject on audit_entry (subject_id, at);

-- Append-only, whatever the service's code does: a row cannot be changed or removed, and the table cannot be emptied,
-- by the service's own database role (an operator with the owner's rights can still drop the triggers: that is a
-- change of schema, and visible as one).
create function audit_entry_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only' using errcode = '42501';
end $$;
create trigger audit_entry_no_update before update or delete on audit_entry
    for each row execute function audit_entry_is_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_is_append_only();
