-- Issue 16: counts by signer country (ActionRecorded/ActionCorrected signerCountry; '' = unknown), per campaign × case ×
-- entity × country. Narrower than tally (no type, mode, day), so a country does not multiply the main grain; written
-- in the batch's transaction, in the statement that upserts tally_summary, so it always sums to the same totals.
create table tally_country (
    campaign_id varchar(64) not null,
    case_id     varchar(64) not null,
    entity_id   varchar(64) not null,
    country     varchar(2)  not null,
    count       bigint      not null,
    primary key (campaign_id, case_id, entity_id, country)
);
-- what was counted before this table came from events without a country: unknown
insert into tally_country (campaign_id, case_id, entity_id, country, count)
select campaign_id, case_id, entity_id, '', count from tally_summary where count <> 0;

create unlogged table rebuild_country (like tally_country including all);
