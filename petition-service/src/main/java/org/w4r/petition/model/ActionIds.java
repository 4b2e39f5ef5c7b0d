package org.w4r.petition.model;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

import java.util.UUID;

/**
 * The id of every action petition-service stores (a signature, an online action, a message, an offline count): a UUID of
 * version 7 (RFC 9562), whose first 48 bits are the millisecond it was made and whose other 74 are random.
 *
 * <p>Why not version 4: the id is each action table's primary key, and a random key lands on a random page of its
 * index. Once the index outgrows PostgreSQL's buffers (a campaign's signature index does, at a few million) nearly every
 * insert reads a page, dirties it, and writes it whole to the WAL after each checkpoint. Measured on 7 December 2026
 * (docs/benchmarks.md, "Time-ordered action ids"): in a table with the signature table's columns and indexes holding
 * 5.6-6 million rows, 400,000 inserts in groups of 20 wrote 1.3-1.5 GB of WAL with random ids and 0.47-0.49 GB with
 * these, a quarter of the full-page images and half the buffers backends had to write out themselves: time-ordered
 * ids all go to the same few pages of the index, its newest (in a database that already holds random ids, the pages
 * around the current millisecond's place among them).
 *
 * <p>Every id is random in its 74 bits, not a counter within the millisecond (JUG's {@code timeBasedEpochGenerator}
 * increments the last one): an entity sees its own ids, and must not be able to name another entity's action made in
 * the same millisecond from one of them. What the id does tell is about when the action was written, to the
 * millisecond: it is made when the row is written, which may be a little after the {@code recordedAt} every event
 * carries (a signature waits for its group's commit), and the entity that sent the action knows that time already.
 */
public final class ActionIds {
    // JUG (com.fasterxml.uuid): java.util.UUID makes no version 7 in Java 17 or 25; JUG's random source is a
    // SecureRandom, as UUID.randomUUID()'s
    private static final TimeBasedEpochRandomGenerator IDS = Generators.timeBasedEpochRandomGenerator();

    private ActionIds() {
    }

    /** A new action id. */
    public static UUID next() {
        return IDS.generate();
    }
}
