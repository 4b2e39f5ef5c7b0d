-- Stream tickets already used (docs/tally-service.md "Live stream"). A ticket opens one stream; it was remembered as
-- used only in the memory of the instance that opened it, so behind a Service with two replicas the same URL (from an
-- ingress log, a proxy log or a browser history) opened a second stream on the other instance (read-only review,
-- 6 December 2026). The primary key is the ticket's random IV, never the ticket or anything of who asked for it; a
-- row is useless once the ticket has expired and is deleted then.
create table stream_ticket_use (
    ticket_id  varchar(32) primary key,
    expires_at timestamptz not null
);
create index stream_ticket_use_expiry on stream_ticket_use (expires_at);
