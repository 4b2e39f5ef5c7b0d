-- Issue 16: the country a signature was counted under in the tally (its event's signerCountry), so that a later
-- correction of it (a bulk invalidation, its reversal) takes the count out of, or puts it back into, the same country.
-- A two-letter code with the action's ids, like case and entity: an erasure forgets the signer's `country` (what the
-- delivered list shows beside a name) but not where the action was counted, as it keeps the count itself.
alter table signature add column counted_country char(2);
