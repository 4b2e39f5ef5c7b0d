-- What readers order a case's events by: grows with every change and never goes back, even after this database is
-- restored from a backup (it starts from the clock, in microseconds), so a hold placed after a restore is never taken
-- for an older state by a service that saw the lost newer ones. The @Version column stays for optimistic locking.
alter table case_file add column revision bigint not null default 0;
