-- A message's language tag is validated at up to 35 characters (MessageRequest: a primary subtag and up to three
-- more), but the column took 16: a valid tag such as "sl-rozaj-biske-1994" was refused by the database as an
-- unstorable value, and took its whole batch down with it (a read-only review, 6 December 2026). Widening a varchar
-- rewrites neither the table nor its indexes.
alter table message alter column language type varchar(35);
