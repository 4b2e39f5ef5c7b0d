-- A case's own milestones (docs/case-service.md): percentages of its goal, ascending; null is the platform's default.
alter table case_file add column milestones integer[];
