-- The live view (LiveTotals) learns of a change to tally_summary at commit instead of polling for it: every statement
-- that changes the table sends, on channel tally_summary, the campaign ids it touched (ids only, no personal data;
-- '*' = re-read everything). A trigger, so no writer has to remember it: the consumer's batches, a repair by hand, a
-- job that truncates and refills the table. PostgreSQL delivers a notification only when its transaction commits, and
-- the same payload only once per transaction. A table swapped in by rename would not carry these triggers: such a job
-- must send pg_notify('tally_summary', '*') itself (the safety poll catches up within seconds otherwise).
create function tally_summary_changed() returns trigger language plpgsql as $$
declare
    campaigns text;
begin
    if tg_op = 'TRUNCATE' then
        perform pg_notify('tally_summary', '*');
        return null;
    end if;
    if tg_op = 'INSERT' then
        select string_agg(distinct campaign_id, ',') into campaigns from new_rows;
    elsif tg_op = 'DELETE' then
        select string_agg(distinct campaign_id, ',') into campaigns from old_rows;
    else
        select string_agg(distinct campaign_id, ',') into campaigns
        from (select campaign_id from new_rows union select campaign_id from old_rows) touched;
    end if;
    if campaigns is not null then
        -- a payload is limited to 8000 bytes; so many campaigns at once is a bulk job, re-read whole
        perform pg_notify('tally_summary', case when length(campaigns) > 7000 then '*' else campaigns end);
    end if;
    return null;
end $$;

-- Statement-level: one notification per statement (an upsert of a whole batch is one insert and one update), not
-- one per row. A transition table may serve one event only, hence one trigger per event.
create trigger tally_summary_inserted after insert on tally_summary referencing new table as new_rows
    for each statement execute function tally_summary_changed();
create trigger tally_summary_updated after update on tally_summary
    referencing old table as old_rows new table as new_rows
    for each statement execute function tally_summary_changed();
create trigger tally_summary_deleted after delete on tally_summary referencing old table as old_rows
    for each statement execute function tally_summary_changed();
create trigger tally_summary_truncated after truncate on tally_summary
    for each statement execute function tally_summary_changed();
