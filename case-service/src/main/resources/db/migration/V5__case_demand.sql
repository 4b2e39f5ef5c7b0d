-- What the campaign asks the target authority for a case (docs/case-service.md), printed on the delivery pack's cover.
alter table case_file add column demand varchar(1000);
