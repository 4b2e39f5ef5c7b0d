package org.w4r.petition.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.w4r.events.ActionRecorded;
import org.w4r.events.ActionType;
import org.w4r.events.CampaignChanged;
import org.w4r.events.Mode;
import org.w4r.events.Topics;
import org.w4r.kit.outbox.Outbox;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.repository.SignatureRepository;
import org.w4r.petition.rest.ActionResults;
import org.w4r.petition.rest.ActionResults.Result;
import org.w4r.petition.rest.SignatureRequest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/** Records signatures: one counted signature per person per case, and one event per accepted case. */
@ApplicationScoped
public class SignatureService {
    static final int MAX_CASES = 50;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    @Inject
    ActionRules rules;

    @Inject
    SignerHasher hasher;

    @Inject
    SignatureRepository signatures;

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SignatureCommitter committer;

    @Inject
    Idempotency idempotency;

    /**
     * A single signature, answered once it is committed (group commit with the other signatures arriving at the same
     * time). A request with an Idempotency-Key is answered with the first answer under that key.
     */
    public CompletableFuture<Response> sign(String entityId, SignatureRequest request, String idempotencyKey) {
        String fingerprint = null;
        if (idempotencyKey != null) {
            fingerprint = Idempotency.fingerprint(idempotencyKey, "POST", "/api/v1/signatures", request);
            Response earlier = idempotency.replay(entityId, idempotencyKey, fingerprint);
            if (earlier != null) {
                return CompletableFuture.completedFuture(earlier); // before the checks: a retry gets the first answer
            }
        }
        Checked checked = check(entityId, request);
        return committer.submit(entityId, checked, hasher.hash(request.signer().email()), idempotencyKey, fingerprint);
    }

    /** Everything that can refuse the request, before anything is written (a batch relies on that). */
    public Checked check(String entityId, SignatureRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with 'caseIds' and 'signer' is required");
        }
        Inputs.signature(request); // the one text, id and instant check, as for every other endpoint
        Set<String> caseIds = validate(request);
        Instant now = ActionRules.now();
        Instant occurredAt = rules.occurredAt(request.occurredAt(), now);
        Map<String, CampaignChanged> campaigns = new LinkedHashMap<>();
        for (String caseId : caseIds) {
            campaigns.put(caseId, rules.check(entityId, caseId, occurredAt));
        }
        SignatureRequest.Consent consent = request.consent();
        String country = request.signer().country() == null ? null : request.signer().country().toUpperCase(Locale.ROOT);
        return new Checked(request, campaigns, occurredAt, now, request.signer().name().trim(), country,
                consent != null && Boolean.TRUE.equals(consent.showName()),
                consent != null && Boolean.TRUE.equals(consent.contact()));
    }

    /** A request that passed every check, with the campaign of each case and the signer's normalised details. */
    public record Checked(SignatureRequest request, Map<String, CampaignChanged> campaigns, Instant occurredAt,
                          Instant now, String name, String country, boolean showName, boolean contact) {
    }

    /**
     * Writes checked signatures in the caller's transaction (a batch), in one round trip; returns each one's results.
     * A signer twice in the list counts once, as with two requests.
     */
    public List<ActionResults> writeAll(String entityId, List<Checked> checked) {
        List<SignatureRepository.NewSignature> rows = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < checked.size(); i++) {
            Checked c = checked.get(i);
            String emailHmac = hasher.hash(c.request().signer().email());
            for (Map.Entry<String, CampaignChanged> e : c.campaigns().entrySet()) {
                rows.add(newSignature(entityId, c, emailHmac, e.getKey(), e.getValue()));
                owner.add(i);
            }
        }
        boolean[] inserted;
        try (Connection connection = dataSource.getConnection()) { // the caller's transaction's connection
            inserted = signatures.insertIfFirst(connection, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write signatures", e);
        }
        List<List<Result>> results = new ArrayList<>();
        checked.forEach(c -> results.add(new ArrayList<>()));
        for (int r = 0; r < rows.size(); r++) {
            SignatureRepository.NewSignature s = rows.get(r);
            if (inserted[r]) {
                ActionRecorded event = recorded(s);
                outbox.addAtCommit(Topics.ACTIONS, event.key(), event);
                results.get(owner.get(r)).add(new Result(s.caseId(), s.actionId(), Result.ACCEPTED));
            } else {
                results.get(owner.get(r)).add(new Result(s.caseId(), null, Result.DUPLICATE));
            }
        }
        return results.stream().map(ActionResults::new).toList();
    }

    static SignatureRepository.NewSignature newSignature(String entityId, Checked c, String emailHmac, String caseId,
                                                         CampaignChanged campaign) {
        return new SignatureRepository.NewSignature(UUID.randomUUID(), campaign.campaignId(), caseId, entityId, emailHmac,
                c.name(), c.country(), c.showName(), c.contact(), c.occurredAt(), c.now());
    }

    static ActionRecorded recorded(SignatureRepository.NewSignature s) {
        return new ActionRecorded(UUID.randomUUID(), s.actionId(), s.campaignId(), s.caseId(), s.entityId(),
                ActionType.SIGNATURE, Mode.ONLINE, 1, s.occurredAt(), s.recordedAt());
    }

    private static Set<String> validate(SignatureRequest request) {
        if (request.caseIds() == null || request.caseIds().isEmpty()) {
            throw ProblemException.invalid("caseIds", "'caseIds' must name at least one case");
        }
        if (request.caseIds().size() > MAX_CASES) {
            throw ProblemException.invalid("caseIds", "at most " + MAX_CASES + " cases in one signature");
        }
        Set<String> caseIds = new LinkedHashSet<>();
        for (String caseId : request.caseIds()) {
            if (caseId == null || caseId.isBlank()) {
                throw ProblemException.invalid("caseIds", "'caseIds' must not contain empty ids");
            }
            caseIds.add(caseId);
        }
        SignatureRequest.Signer signer = request.signer();
        if (signer == null) {
            throw ProblemException.invalid("signer", "'signer' with 'name' and 'email' is required");
        }
        Inputs.text("signer.name", signer.name(), 200);
        if (signer.email() == null || signer.email().length() > 254 || !EMAIL.matcher(signer.email().trim()).matches()) {
            throw ProblemException.invalid("signer.email", "'signer.email' must be an email address");
        }
        Inputs.country("signer.country", signer.country());
        return caseIds;
    }
}
