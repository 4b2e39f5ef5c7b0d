-- Transactional outbox (service-kit): an event is written here in the same transaction as the change it
-- announces, and relayed to Kafka afterwards; a row is deleted only once Kafka has acknowledged it (acks=all).
create table outbox (
    id         bigserial primary key,
    topic      varchar(100) not null,
    event_key  varchar(200) not null,
    payload    text         not null,
    created_at timestamptz  not null default now()
);
