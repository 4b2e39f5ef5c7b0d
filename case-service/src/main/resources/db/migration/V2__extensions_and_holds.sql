-- one entity may be granted a later close than the campaign's (France ran its 2020 campaign to April)
create table campaign_extension (
    campaign_id varchar(64) not null references campaign (id),
    entity_id   varchar(64) not null references entity (id),
    closes_at   timestamptz not null,
    primary key (campaign_id, entity_id)
);

-- every safety hold ever placed, with who placed and lifted it and when; at most one open hold per case
create table case_hold (
    id        bigserial primary key,
    case_id   varchar(64) not null references case_file (id),
    reason    text        not null,
    placed_by text        not null,
    placed_at timestamptz not null,
    lifted_by text,
    lifted_at timestamptz
);
create unique index case_hold_open on case_hold (case_id) where lifted_at is null;
