package org.w4r.cases.service;

import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

/**
 * The version of a record its editor last read, when the editor names it (HTTP's If-Match). Staff send whole forms:
 * an edit from a form loaded before a colleague's change wrote the old values back over that change, unseen. Named,
 * the edit applies only to the version it was made on. {@link #ANY}: none named, so the edit applies to whatever is
 * stored (clients written before If-Match existed keep working).
 */
public record ExpectedVersion(Long version) {
    public static final ExpectedVersion ANY = new ExpectedVersion(null);

    public static ExpectedVersion of(long version) {
        return new ExpectedVersion(version);
    }

    /**
     * Refuses the change (412 {@code edited-since}, with {@code currentVersion}) unless the record is at the expected
     * version. The caller holds the record's row lock and has changed nothing yet, so a refusal stores and publishes
     * nothing, and of two editors of one version the second finds the first's version here.
     */
    void check(String what, String id, long current) {
        if (version != null && version != current) {
            throw new ProblemException(Problem.of(412, "edited-since", "Changed since it was read",
                    what + " '" + id + "' is at version " + current + ", not " + version + ": someone changed it since "
                            + "it was read; read it again and make the change on what it is now")
                    .with("currentVersion", current));
        }
    }
}
