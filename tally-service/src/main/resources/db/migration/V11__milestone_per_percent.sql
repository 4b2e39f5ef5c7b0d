-- A milestone is a percentage of a case's goal reached, once, whatever the goal (service/Milestones): keyed by the
-- threshold until 6 December 2026, a goal changed after a milestone made another percentage's threshold equal the
-- recorded one, so that percentage was never told and a new threshold of a told one was told again (read-only review).
-- Where a goal change already recorded one percentage twice, the first reached is kept.
delete from milestone m
 using milestone o
 where o.campaign_id = m.campaign_id and o.case_id = m.case_id and o.percent = m.percent
   and (o.reached_at, o.threshold) < (m.reached_at, m.threshold);
alter table milestone drop constraint milestone_pkey;
alter table milestone add primary key (campaign_id, case_id, percent);
