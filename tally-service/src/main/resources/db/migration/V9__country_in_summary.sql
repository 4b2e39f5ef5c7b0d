-- Issue 20: the counts by signer country move into the summary row of their campaign × case × entity, as a map
-- country → count ('' = unknown, zero counts left out). Each consumed batch upserted a summary row and, beside it, a
-- row per country of the same campaign × case × entity: on the bench's traffic one row in three the tally wrote
-- (0.39 rows per action of 1.17), with its index entry. Now one row carries both, so the two can never disagree
-- either. tally_country stays as a view of the same rows, so every reader (the totals by country, open data, the
-- reconcile's comparison) reads what it read before.

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

drop table tally_country;
drop table rebuild_country;

-- The same rows as the table had (its zero rows aside, which no reader shows), read through the summary's key.
create view tally_country as
select s.campaign_id, s.case_id, s.entity_id, c.key::varchar(2) as country, c.value::bigint as count
from tally_summary s cross join lateral jsonb_each_text(s.by_country) c;
create view rebuild_country as
select s.campaign_id, s.case_id, s.entity_id, c.key::varchar(2) as country, c.value::bigint as count
from rebuild_summary s cross join lateral jsonb_each_text(s.by_country) c;
