-- Every change of a case bumps its version (optimistic locking; readers drop an older copy that arrives late).
alter table case_file add column version bigint not null default 0;
-- The open hold's id: the only thing about a hold, beside its start, that leaves this service.
alter table case_file add column hold_id bigint;
update case_file c set hold_id = h.id from case_hold h where h.case_id = c.id and h.lifted_at is null;
-- Keys and tokens may expire; past it no service accepts them.
alter table credential add column expires_at timestamptz;
