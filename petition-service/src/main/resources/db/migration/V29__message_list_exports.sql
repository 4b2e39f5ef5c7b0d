-- A read-only review, 8 December 2026: a delivery team's read of a case's approved messages (authors' names and
-- countries, the texts) left no trace, so an erasure of an author could not name that copy for destruction, as the
-- signer lists' exports are named since 6 December. Each page handed out is recorded as an export of its kind.
alter table signer_export add column kind varchar(16) not null default 'signers' check (kind in ('signers', 'messages'));
