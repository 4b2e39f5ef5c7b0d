-- The outbox is a queue: every row is deleted moments after its insert. With the default thresholds autovacuum
-- left 5 million dead rows after a full replay, and the relay's "oldest rows first" scan had to wade through them
-- at every poll. Vacuum it after every few thousand deletes instead (repeatable: services keep their own versions).
alter table outbox set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                        autovacuum_vacuum_cost_delay = 0, autovacuum_analyze_scale_factor = 0,
                        autovacuum_analyze_threshold = 5000);
