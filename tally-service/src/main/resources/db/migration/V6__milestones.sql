-- Milestones (docs/tally-service.md "Milestones"): a case's total reaching a share of its goal, recorded once. The
-- primary key makes every later reach a no-op: after a dip and a rise (a correction), a rebuild of the tally, a batch
-- read twice, or two instances checking at once.
create table milestone (
    campaign_id varchar(64) not null,
    case_id     varchar(64) not null,
    -- the count reached: the goal times percent / 100, rounded up
    threshold   bigint      not null check (threshold > 0),
    goal        bigint      not null check (goal > 0),
    percent     int         not null check (percent > 0),
    reached_at  timestamptz not null,
    -- false while the case was on safety hold when it was reached: entity sites are told when the hold is lifted
    announced   boolean     not null,
    primary key (campaign_id, case_id, threshold)
);
create index milestone_reached on milestone (campaign_id, reached_at);
