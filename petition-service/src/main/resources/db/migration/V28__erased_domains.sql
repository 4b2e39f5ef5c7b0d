-- Found by a read-only review, 7 December 2026: an erasure and a retention run forgot a signer's name, country and
-- consents but kept the keyed hash of the email's domain, which a bulk invalidation selects by. A coordinator's preview
-- by a personal domain (ada-lovelace.name) then still found which cases the person signed, through which entity and
-- when. Both forget it from this version on (SignatureRepository.ERASE and INSERT, RetentionRepository.anonymise);
-- this forgets it where they ran before. A signature's name is required by the API, so a row without one is one an
-- erasure or a retention run left: those are the rows.
--
-- One pass over signature (no index leads with either column); it locks only the rows it changes, so writes go on
-- (docs/operations.md, "Upgrade", gives the time).
update signature set email_domain_hmac = null where name is null and email_domain_hmac is not null;
