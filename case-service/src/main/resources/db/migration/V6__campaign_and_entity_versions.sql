-- A campaign's and an entity's version, bumped by every change of the row: the ETag an edit names in If-Match, so an
-- edit from a form read before a colleague's change is refused (412) instead of overwriting it unseen. A case's is
-- its revision (V3_1).
alter table campaign add column version bigint not null default 0;
alter table entity add column version bigint not null default 0;
