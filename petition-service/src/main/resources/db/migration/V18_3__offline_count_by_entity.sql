-- the entity portal lists an entity's own offline counts, newest first, with their corrections (issue 21)
create index offline_count_by_entity on offline_count (entity_id, recorded_at desc);
create index offline_correction_by_count on offline_correction (action_id);
