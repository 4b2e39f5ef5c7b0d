-- The retention schedule (docs/petition-service.md "Retention"): signer names and countries, and message authors, are
-- anonymised a set time after a campaign's last handover. When that was, per campaign, from the deliveries topic
-- (HandoverRecorded; a recorded handover is final, so the latest only grows).
create table campaign_handover (
    campaign_id      varchar(64) primary key,
    last_handover_at timestamptz not null
);

-- Every retention run, dry or not, as it ended: what it found (a dry run) or anonymised, by case. Counts only.
create table retention_run (
    run_id      uuid         primary key,
    campaign_id varchar(64)  not null,
    dry_run     boolean      not null,
    -- when the campaign became due, as the run saw it
    due_at      timestamptz  not null,
    started_at  timestamptz  not null,
    finished_at timestamptz  not null,
    signatures  bigint       not null,
    messages    bigint       not null,
    -- [{caseId, signatures, messages}]
    by_case     jsonb        not null,
    -- 'schedule', or the staff principal who asked (never a name)
    run_by      varchar(100) not null
);
create index retention_run_campaign on retention_run (campaign_id, started_at);
