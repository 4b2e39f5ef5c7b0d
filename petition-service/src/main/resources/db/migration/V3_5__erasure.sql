-- an erasure by email finds a message's author through the same keyed hash as signatures (the email is never kept)
alter table message add column author_email_hmac char(64);
create index message_author on message (author_email_hmac) where author_email_hmac is not null;
-- an erased message keeps its count, but its author and text are gone and it is neither moderated nor delivered
alter table message add column erased_at timestamptz;
