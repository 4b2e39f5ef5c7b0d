-- Signer data stays in this service. The email is kept only as a keyed HMAC, for one signature per person per case.
create table signature (
    action_id    uuid primary key,
    campaign_id  varchar(64) not null,
    case_id      varchar(64) not null,
    entity_id    varchar(64) not null,
    email_hmac   char(64)    not null,
    name         text        not null,
    country      char(2),
    show_name    boolean     not null default false,
    contact_me   boolean     not null default false,
    occurred_at  timestamptz not null,
    recorded_at  timestamptz not null,
    unique (case_id, email_hmac)
);
