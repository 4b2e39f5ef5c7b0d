-- Until V0_4 the outbox was a queue whose every row was deleted moments after its insert, and this script made
-- autovacuum visit it after every 5,000 dead rows. The outbox is now a log emptied by TRUNCATE, with no dead rows to
-- vacuum, and a partitioned table takes no storage parameters. The script stays because Flyway refuses to start when
-- an applied repeatable migration is missing; it runs again once, on databases that applied the old text.
select 1;
