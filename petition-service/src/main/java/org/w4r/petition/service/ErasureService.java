package org.w4r.petition.service;

import org.w4r.kit.audit.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.SignerErased;
import org.w4r.events.Topics;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.repository.ErasureRepository;
import org.w4r.petition.repository.MessageRepository;
import org.w4r.petition.repository.SignatureRepository;
import org.w4r.petition.repository.SignerExportRepository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A supporter's request to be forgotten. Their signatures lose name and country, their messages lose author and
 * text; the keyed hash of the email stays on signatures, so they still count once and cannot be counted twice.
 * Counts do not change. An entity erases only what was taken through it; without an entity (a coordinator) the
 * erasure crosses entities. A {@link SignerErased} in the same transaction tells every other service the cases whose
 * derived copies hold the person (delivery packs and previews), never which actions were theirs.
 * <p>It holds for what is written after it too: the hash and the scope stay in {@code erased_signer}, and a signature
 * or message of the person stored later (a retry of a request answered 503, one queued while this committed) is
 * stored as this leaves the rows it finds. Until a read-only review of 6 December 2026 it remembered nothing, and such
 * a write kept the name it was asked to forget.
 */
@ApplicationScoped
public class ErasureService {
    /** About how long a large signer list takes to export: when to send an erasure refused by one again. */
    static final int EXPORT_RETRY_AFTER_SECONDS = 5;

    /** Writers hold an erasure's lock key for a group commit's milliseconds or a batch's second. */
    static final int BUSY_RETRY_AFTER_SECONDS = 1;

    @Inject
    AuditTrail audit;

    @Inject
    SignerHasher hasher;

    @Inject
    SignatureRepository signatures;

    @Inject
    MessageRepository messages;

    @Inject
    SignerExportRepository exports;

    @Inject
    ErasureRepository erasures;

    /**
     * The command that erases what was taken under {@code email} ({@code entityId} null: across entities). Its
     * result is the erasure's id, whether or not anything matched.
     */
    public Command<UUID> erase(String entityId, String email) {
        List<String> hmacs = hasher.hashesOf(email); // and the key it had before 6 December 2026, if another
        AuditTrail.Entry requested = audit.entry("erasure.requested", "erasure", null, entityId, Map.of());
        return work -> {
            UUID erasureId = UUID.randomUUID();
            Instant now = ActionRules.now();
            // the rows as they are, locked, then the person's lock, exclusive, and the record: the updates below read
            // after it, so they find every write of the person that held the lock before, and writes after it see the
            // record. The current hash only: every write stores that one (the key before 6 December 2026 is on old
            // rows only)
            erasures.lockRows(hmacs, entityId);
            if (!erasures.record(hmacs.get(0), entityId, now)) {
                throw new ProblemException(Problem.of(503, "erasure-busy", "Writes of this person are under way",
                        "signatures or messages sharing this person's lock were being written for two seconds; nothing "
                                + "was erased, send the same request again after Retry-After seconds")
                        .retryAfter(BUSY_RETRY_AFTER_SECONDS));
            }
            List<SignatureRepository.Erased> erased = new ArrayList<>();
            for (String hmac : hmacs) {
                erased.addAll(signatures.erase(hmac, entityId));
            }
            List<String> signedCases = erased.stream().map(SignatureRepository.Erased::caseId).toList();
            int signed = erased.size();
            for (String hmac : hmacs) {
                erased.addAll(messages.erase(hmac, entityId, now));
            }
            List<String> authoredCases = erased.subList(signed, erased.size()).stream()
                    .map(SignatureRepository.Erased::caseId).toList();
            // the cases only, never the actions' ids (SignerErased): one event, which every erasure leaves, found or
            // not
            List<String> caseIds = List.copyOf(new TreeSet<>(erased.stream().map(SignatureRepository.Erased::caseId).toList()));
            work.announce(Topics.ERASURES, erasureId.toString(),
                    new SignerErased(UUID.randomUUID(), erasureId, entityId, caseIds, now));
            // the signer lists taken before it hold the erased names: marked; while any list is still being read,
            // refused, nothing erased (its names could go out unmarked), to be sent again in a few seconds. Any, not
            // one of the cases found: the answer must be the same whether or not the person signed (docs/security.md)
            if (!exports.markErased(erasureId, now, signedCases, authoredCases)) {
                throw new ProblemException(Problem.of(503, "signer-list-exporting", "A signer list is being exported",
                        "a signer list is being exported now; nothing was erased, send the same request again after "
                                + "Retry-After seconds")
                        .retryAfter(EXPORT_RETRY_AFTER_SECONDS));
            }
            // the erasure's id and how much it removed; never the address, nor its hash (it would re-identify)
            work.audit(requested.withSubject(erasureId.toString()).with("actions", erased.size()));
            return erasureId;
        };
    }
}
