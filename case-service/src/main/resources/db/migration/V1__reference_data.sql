-- campaigns (editions), entities, cases and credentials: the reference data every other service reads from Kafka
create table campaign (
    id          varchar(64) primary key,
    name        text        not null,
    opens_at    timestamptz not null,
    closes_at   timestamptz not null,
    current     boolean     not null default false,
    changed_at  timestamptz not null,
    check (closes_at > opens_at)
);

create table entity (
    id         varchar(64) primary key,
    name       text        not null,
    country    char(2),
    kind       varchar(20) not null check (kind in ('section', 'structure', 'regional-office', 'catch-all')),
    changed_at timestamptz not null
);

create table case_file (
    id               varchar(64) primary key,
    campaign_id      varchar(64) not null references campaign (id),
    name             text        not null,
    country          char(2)     not null,
    target_authority text,
    scope            varchar(10) not null check (scope in ('global', 'local')),
    local_entity_id  varchar(64) references entity (id),
    goal             bigint check (goal >= 0),
    status           varchar(10) not null check (status in ('draft', 'active', 'closed')),
    public_counter   boolean     not null default true,
    hold_reason      text,
    hold_placed_by   text,
    hold_placed_at   timestamptz,
    changed_at       timestamptz not null,
    check ((scope = 'local') = (local_entity_id is not null))
);

-- entity API keys and staff tokens; only the SHA-256 of a secret is ever stored
create table credential (
    key_id     varchar(40) primary key,
    sha256     char(64)     not null unique,
    principal  varchar(100) not null,
    role       varchar(20)  not null check (role in ('entity', 'coordinator', 'case-manager', 'delivery', 'moderator')),
    entity_id  varchar(64) references entity (id),
    created_at timestamptz  not null,
    revoked_at timestamptz,
    check ((role = 'entity') = (entity_id is not null))
);
create index credential_entity on credential (entity_id) where revoked_at is null;
