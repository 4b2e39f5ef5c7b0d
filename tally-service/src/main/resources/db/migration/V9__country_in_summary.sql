-- Issue 20: the counts by signer country move into the summary row of their campaign × case × entity, as a map
-- country → count ('' = unknown, zero counts left out). Each consumed batch upserted a summary row and, beside it, a
-- row per country of the same campaign × case × entity: on the bench's traffic one row in three the tally wrote
-- (0.39 rows per action of 1.17), with its index entry. Now one row carries both, so the two can never disagree
-- either. Readers read the view tally_by_country (the same columns the table tally_country had).

-- First the old tables, in the order the version before's batch takes them (its statement writes tally_country, then
-- tally_summary): taking tally_summary first (the alter below) while one of its batches waited deadlocked, and
-- PostgreSQL could abort this migration, so the new version would not start (a read-only review, 5 December 2026).
-- Its batches wait here, then meet the triggers below.
lock table tally_country, rebuild_country in share row exclusive mode;

-- The sum of two maps of counts: a key's counts added, a key whose sum is zero left out.
create function add_counts(a jsonb, b jsonb) returns jsonb language sql immutable parallel safe as $$
    select coalesce(jsonb_object_agg(key, total), '{}'::jsonb)
    from (select key, sum(value::bigint) as total
          from (select key, value from jsonb_each_text(a) union all select key, value from jsonb_each_text(b)) both_maps
          group by key having sum(value::bigint) <> 0) sums
$$;

alter table tally_summary add column by_country jsonb not null default '{}';
alter table rebuild_summary add column by_country jsonb not null default '{}';

-- A campaign × case × entity whose every batch summed to zero has country rows and no summary row (a signature from
-- France and the invalidation of one from Germany in its first batch): it gets one, at zero, so no country is lost.
insert into tally_summary (campaign_id, case_id, entity_id, count)
select distinct c.campaign_id, c.case_id, c.entity_id, 0 from tally_country c
where c.count <> 0 and not exists (select 1 from tally_summary s
                                   where (s.campaign_id, s.case_id, s.entity_id) = (c.campaign_id, c.case_id, c.entity_id));
update tally_summary s set by_country = c.by_country
from (select campaign_id, case_id, entity_id, jsonb_object_agg(country, count) as by_country
      from tally_country where count <> 0 group by 1, 2, 3) c
where (s.campaign_id, s.case_id, s.entity_id) = (c.campaign_id, c.case_id, c.entity_id);

create view tally_by_country as
select s.campaign_id, s.case_id, s.entity_id, c.key::varchar(2) as country, c.value::bigint as count
from tally_summary s cross join lateral jsonb_each_text(s.by_country) c;
create view rebuild_by_country as
select s.campaign_id, s.case_id, s.entity_id, c.key::varchar(2) as country, c.value::bigint as count
from rebuild_summary s cross join lateral jsonb_each_text(s.by_country) c;

-- The old tables stay, frozen, for the instances of the version before that still run during a rolling upgrade:
-- their batch upserts summary and countries in one statement, and every write to these tables now fails with a
-- SQLSTATE of class 57 (operator intervention), which the kit's consumer takes as transient (Failures.isTransient):
-- such an instance retries its batch, rolled back whole, until it is stopped, and the new instances take its
-- partitions over with nothing applied twice or lost. Had the tables gone, its statement would fail to plan (a class
-- 42 error, not transient) and its batches would go to actions.dead-letter: counts lost to the tally. A later
-- migration drops them; until then the old instances' reads of countries see the counts as they were here.
create function country_table_retired() returns trigger language plpgsql as $$
begin
    raise exception '% is no longer written (tally-service V9): this instance is older than its database; stop it',
        tg_table_name using errcode = '57W09';
end $$;
create trigger tally_country_retired before insert or update or delete on tally_country
    for each row execute function country_table_retired();
create trigger rebuild_country_retired before insert or update or delete on rebuild_country
    for each row execute function country_table_retired();
create trigger rebuild_country_retired_truncate before truncate on rebuild_country
    for each statement execute function country_table_retired();
comment on table tally_country is 'no longer written (V9): counts by country are tally_summary.by_country';
comment on table rebuild_country is 'no longer written (V9): counts by country are rebuild_summary.by_country';
