-- SlowMigrationTest only: a migration longer than the proxied profile's idle-in-transaction limit (10 s)
select pg_sleep(12);
