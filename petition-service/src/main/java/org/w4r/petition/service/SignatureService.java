package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Records signatures: one counted signature per person per case, and one event per accepted case. */
@ApplicationScoped
public class SignatureService {
    static final int MAX_CASES = 50;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    @Inject
    ActionRules rules;

    @Inject
    SignerHasher hasher;

    @Inject
    SignatureRepository signatures;

    @Inject
    Outbox outbox;

    @Transactional
    public ActionResults sign(String entityId, SignatureRequest request) {
        Set<String> caseIds = validate(request);
        Instant now = Instant.now();
        Instant occurredAt = rules.occurredAt(request.occurredAt(), now);
        String emailHmac = hasher.hash(request.signer().email());
        boolean showName = request.consent() != null && Boolean.TRUE.equals(request.consent().showName());
        boolean contact = request.consent() != null && Boolean.TRUE.equals(request.consent().contact());
        String country = request.signer().country() == null ? null : request.signer().country().toUpperCase(Locale.ROOT);

        List<Result> results = new ArrayList<>();
        for (String caseId : caseIds) {
            CampaignChanged campaign = rules.check(entityId, caseId, occurredAt);
            UUID actionId = UUID.randomUUID();
            boolean inserted = signatures.insertIfFirst(actionId, campaign.campaignId(), caseId, entityId, emailHmac,
                    request.signer().name().trim(), country, showName, contact, occurredAt, now);
            if (inserted) {
                ActionRecorded event = new ActionRecorded(UUID.randomUUID(), actionId, campaign.campaignId(), caseId,
                        entityId, ActionType.SIGNATURE, Mode.ONLINE, 1, occurredAt, now);
                outbox.add(Topics.ACTIONS, event.key(), event);
                results.add(new Result(caseId, actionId, Result.ACCEPTED));
            } else {
                results.add(new Result(caseId, null, Result.DUPLICATE));
            }
        }
        return new ActionResults(results);
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
        if (signer.name() == null || signer.name().isBlank() || signer.name().length() > 200) {
            throw ProblemException.invalid("signer.name", "'signer.name' is required (at most 200 characters)");
        }
        if (signer.email() == null || signer.email().length() > 254 || !EMAIL.matcher(signer.email().trim()).matches()) {
            throw ProblemException.invalid("signer.email", "'signer.email' must be an email address");
        }
        if (signer.country() != null && !COUNTRIES.contains(signer.country().toUpperCase(Locale.ROOT))) {
            throw ProblemException.invalid("signer.country", "'signer.country' must be an ISO 3166-1 alpha-2 code");
        }
        return caseIds;
    }
}
