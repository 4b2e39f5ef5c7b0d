package org.w4r.petition.service;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.ActionType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Mode;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.tracing.TraceContext;
import org.w4r.petition.model.ActionIds;
import org.w4r.petition.repository.SignatureRepository;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Records signatures: one counted signature per person per case, and one event per accepted case. */
@ApplicationScoped
public class SignatureService {
    @Inject
    ActionRules rules;

    @Inject
    SignerHasher hasher;

    @Inject
    SignatureRepository signatures;

    @Inject
    ActionPublisher publisher;

    @Inject
    GroupCommit groupCommit;

    @Inject
    IdempotencyService idempotency;

    @Inject
    RetentionService retention;

    @Inject
    Committer committer;

    /** One signer for one or several cases (distinct, in the caller's order), as the caller sent it, normalised. */
    public record Signature(List<String> caseIds, String name, String email, String country, boolean showName,
                            boolean contact, Instant occurredAt) {
    }

    /**
     * A signature that passed every check: the campaign of each case, the signer's keyed email hash (and its domain's,
     * for a bulk invalidation by domain), and the trace of
     * the request, taken on its thread (the writer thread that stores the event has none).
     */
    public record Checked(String entityId, Map<String, CampaignChanged> campaigns, Instant occurredAt, Instant now,
                          String name, String country, boolean showName, boolean contact, String emailHmac,
                          String emailDomainHmac, TraceContext trace) {
    }

    /**
     * A single signature, answered once it is committed (group commit with the other signatures arriving at the same
     * time). A request with an Idempotency-Key is answered with the first answer under that key: found when the commit
     * stores the key, or, if the checks now refuse it, looked up then ({@link IdempotencyService#earlierOr}).
     * <p>Called on an event loop: nothing here waits; the lookup, and the write of a signature for a campaign that may
     * have been anonymised, the only database work outside the group commit, run on a worker thread.
     */
    public CompletableFuture<Answer> sign(String entityId, IdempotencyKey key, Signature signature,
                                          Function<? super Recorded, ?> answer) {
        Checked checked;
        try {
            checked = check(entityId, signature);
        } catch (ProblemException refused) {
            if (key == null) {
                throw refused;
            }
            return CompletableFuture.supplyAsync(() -> idempotency.earlierOr(key, refused),
                    Infrastructure.getDefaultWorkerPool());
        }
        if (checked.campaigns().values().stream().anyMatch(retention::mayBeRetired)) {
            // a late report for a campaign that may be anonymised must ask the database in its transaction, and a
            // group cannot refuse one of its members: a transaction of its own, on a worker. Rare, so the group
            // commit's hot path asks nothing (until a read-only review of 6 December 2026 nothing asked, and a
            // signature dated inside an anonymised campaign's window was stored with its name, for good)
            CompletableFuture<Answer> answered = new CompletableFuture<>();
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    answered.complete(committer.commit(key, 202, work -> {
                        requireNotRetired(checked);
                        return writeAll(work, List.of(checked)).get(0);
                    }, answer));
                } catch (RuntimeException | Error e) {
                    answered.completeExceptionally(e); // as it is, for the problem mappers, as the group's are
                }
            });
            return answered;
        }
        return groupCommit.submit(new Committer.Member<>(key, 202, checked, answer));
    }

    /** In the transaction that writes it: refused (409 campaign-retired) if a campaign of it was anonymised. */
    void requireNotRetired(Checked checked) throws SQLException {
        Map<String, CampaignChanged> campaigns = new LinkedHashMap<>();
        checked.campaigns().values().forEach(c -> campaigns.putIfAbsent(c.campaignId(), c));
        for (CampaignChanged campaign : campaigns.values()) {
            retention.requireNotRetiredYet(campaign);
        }
    }

    /** Everything that can refuse the signature, before anything is written (a batch relies on that). */
    public Checked check(String entityId, Signature signature) {
        Instant now = ActionRules.now();
        Instant occurredAt = rules.occurredAt(signature.occurredAt(), now);
        Map<String, CampaignChanged> campaigns = new LinkedHashMap<>();
        for (String caseId : signature.caseIds()) {
            campaigns.put(caseId, rules.check(entityId, caseId, occurredAt));
        }
        return new Checked(entityId, campaigns, occurredAt, now, signature.name(), signature.country(),
                signature.showName(), signature.contact(), hasher.hash(signature.email()),
                hasher.hashDomain(SignerHasher.domainOf(signature.email())), TraceContext.current());
    }

    /**
     * Writes checked signatures in the transaction, in one round trip (a group of requests, or the signatures of a
     * batch); returns each one's results. A signer twice in the list counts once, as with two requests.
     */
    public List<Recorded> writeAll(UnitOfWork work, List<Checked> checked) throws SQLException {
        List<SignatureRepository.NewSignature> rows = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<List<Recorded.Entry>> entries = new ArrayList<>();
        for (int i = 0; i < checked.size(); i++) {
            Checked c = checked.get(i);
            for (Map.Entry<String, CampaignChanged> e : c.campaigns().entrySet()) {
                rows.add(new SignatureRepository.NewSignature(ActionIds.next(), e.getValue().campaignId(), e.getKey(),
                        c.entityId(), c.emailHmac(), c.emailDomainHmac(), c.name(), c.country(), c.showName(), c.contact(), c.occurredAt(), c.now()));
                owners.add(i);
            }
            entries.add(new ArrayList<>());
        }
        boolean[] inserted = signatures.insertIfFirst(rows);
        for (int r = 0; r < rows.size(); r++) {
            SignatureRepository.NewSignature s = rows.get(r);
            int owner = owners.get(r);
            if (inserted[r]) {
                publisher.recorded(work, checked.get(owner).trace(), s.actionId(), s.campaignId(), s.caseId(),
                        s.entityId(), ActionType.SIGNATURE, Mode.ONLINE, 1, s.occurredAt(), s.recordedAt(), s.country());
                entries.get(owner).add(new Recorded.Entry(s.caseId(), s.actionId(), false));
            } else {
                entries.get(owner).add(new Recorded.Entry(s.caseId(), null, true));
            }
        }
        return entries.stream().map(Recorded::new).toList();
    }
}
