package org.w4r.delivery.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.w4r.events.CaseChanged;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.delivery.model.ApprovedMessage;
import org.w4r.delivery.model.Signer;
import org.w4r.delivery.service.HoldGuard;
import org.w4r.delivery.service.PetitionDirectory;
import org.w4r.delivery.service.SignerDataRetiredException;
import org.w4r.delivery.service.UnavailableException;
import org.w4r.kit.csv.CsvRows;
import org.w4r.kit.csv.SpreadsheetSafe;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** Calls petition-service with the caller's own token, so it applies its own authorisation to the export. */
@ApplicationScoped
public class RestPetitionDirectory implements PetitionDirectory {
    private static final Logger LOG = Logger.getLogger(RestPetitionDirectory.class);

    /** petition-service's largest page of messages ({@code limit}); a pack asks page after page. */
    static final int PAGE = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    @RestClient
    PetitionClient client;

    @Override
    public List<Signer> signers(String caseId, String entityId, Instant until, String authorization) {
        String csv = call(caseId, "signer list", () -> client.signersCsv(caseId, until.toString(), entityId, authorization));
        List<Signer> signers = new ArrayList<>();
        for (CsvRows.Row row : rows(csv == null ? "" : csv)) {
            // petition-service's CSV defuses a name a spreadsheet would run ("@maria" comes as "'@maria"); the pack
            // prints it as signed, and its own signers.csv defuses it again
            String name = SpreadsheetSafe.restore(row.get("name"));
            if (name != null && !name.isBlank()) {
                signers.add(new Signer(name, row.get("country") == null ? "" : row.get("country")));
            }
        }
        return signers;
    }

    @Override
    public List<ApprovedMessage> approvedMessages(String caseId, String entityId, Instant until, String authorization) {
        // the entity and the cut-off asked of petition-service too, so its pages hold this entity's messages written
        // up to the cut-off, not the whole case's, nor ones written after it. Paged by keyset (after = the last id of
        // the page before) until a short page: until a read-only review of 6 December 2026 only the first page was
        // asked for, and a pack held the 1,000 oldest of a case's approved messages
        List<ApprovedMessage> messages = new ArrayList<>();
        UUID after = null;
        while (true) {
            String from = after == null ? null : after.toString();
            List<ApprovedMessage> page = call(caseId, "approved messages",
                    () -> client.messages(caseId, "approved", PAGE, entityId, until.toString(), from, authorization));
            if (page == null || page.isEmpty()) {
                return messages;
            }
            messages.addAll(page);
            UUID last = page.get(page.size() - 1).messageId();
            if (page.size() < PAGE) {
                return messages;
            }
            if (last == null || last.equals(after)) {
                // a full page that cannot name the next one: stopping here would leave messages out unseen
                LOG.warnf("petition-service answered a full page of approved messages without a new last id");
                throw new UnavailableException("petition-service-unavailable", "petition-service unavailable",
                        "the approved messages for the delivery pack could not be fetched from petition-service; "
                                + "try again shortly", 10);
            }
            after = last;
        }
    }

    /** petition-service's export is CSV with a header {@code name,country}. */
    private static List<CsvRows.Row> rows(String csv) {
        try {
            return CsvRows.read(new StringReader(csv));
        } catch (IOException e) {
            LOG.warnf("petition-service's signer list could not be read as CSV: %s", e.getClass().getSimpleName());
            throw new UnavailableException("petition-service-unavailable", "petition-service unavailable",
                    "the signer list for the delivery pack could not be read; try again shortly", 10);
        }
    }

    /**
     * The seconds petition-service asked to wait when it answered {@code 503 overloaded} (its Retry-After, within
     * 1..300; 5 without one), or null for any other answer.
     */
    static Integer busyFor(Response response) {
        if (response == null || response.getStatus() != 503) {
            return null;
        }
        String type;
        try {
            JsonNode problem = JSON.readTree(response.readEntity(String.class));
            type = problem == null ? null : problem.path("type").asText(null);
        } catch (RuntimeException | IOException e) {
            return null;
        }
        if (type == null || !type.endsWith("/overloaded")) {
            return null;
        }
        try {
            return Math.max(1, Math.min(300, Integer.parseInt(String.valueOf(response.getHeaderString("Retry-After")).trim())));
        } catch (NumberFormatException e) {
            return 5;
        }
    }

    /**
     * petition-service's {@code 409 case-on-hold} (its DeliveryGate saw a hold this service had not applied yet) as
     * this service's own hold refusal, naming the hold petition-service named; null for any other answer.
     */
    static ProblemException heldFor(String caseId, Response response) {
        if (response == null || response.getStatus() != 409) {
            return null;
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(response.readEntity(String.class));
        } catch (RuntimeException | IOException e) {
            return null;
        }
        if (problem == null || !problem.path("type").asText("").endsWith("/case-on-hold")) {
            return null;
        }
        JsonNode hold = problem.path("hold");
        Instant placedAt;
        try {
            placedAt = hold.path("placedAt").isTextual() ? Instant.parse(hold.path("placedAt").asText()) : null;
        } catch (DateTimeParseException e) {
            placedAt = null;
        }
        return HoldGuard.onHold(caseId, hold.path("holdId").canConvertToLong()
                ? new CaseChanged.Hold(hold.path("holdId").asLong(), placedAt) : null);
    }

    /**
     * petition-service's {@code 400} for a request this service made: a fault of this service, never retryable, so a
     * {@code 500} (logged, naming the call and the field petition-service named, not its value) rather than the
     * {@code 503 petition-service-unavailable} with Retry-After it was until a read-only review of 6 December 2026 (a
     * preview's {@code until} beyond petition-service's year was refused there, and the caller was told to try again).
     * Not a 400: what this service sends is the plan's case and entity and a cut-off it checked by petition-service's
     * own bounds ({@code CaseResource.UNTIL_DAYS_AHEAD}) or stored with a handover, so a refusal means the two
     * services disagree, which the caller cannot mend by changing the request. Null for any other answer.
     */
    static ProblemException refusedAsBad(String what, Response response) {
        if (response == null || response.getStatus() != 400) {
            return null;
        }
        String field;
        try {
            JsonNode problem = JSON.readTree(response.readEntity(String.class));
            field = problem == null ? null : problem.path("field").asText(null);
        } catch (RuntimeException | IOException e) {
            field = null;
        }
        // the field's name only when it is a plain name: petition-service's answer is not this service's to echo
        String named = field != null && field.matches("[A-Za-z][A-Za-z0-9.]{0,63}") ? field : null;
        LOG.errorf("petition-service refused the %s as a bad request (400%s): a fault of delivery-service, not of the "
                + "caller; nothing was issued or recorded", what, named == null ? "" : ", field '" + named + "'");
        return new ProblemException(Problem.of(500, "petition-service-refused", "petition-service refused the request",
                "petition-service refused the " + what + " this service asked for as a bad request; nothing was issued "
                        + "or recorded. This is a fault of delivery-service, logged for its operators: sending the same "
                        + "request again will not help"));
    }

    private static <T> T call(String caseId, String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 410) {
                throw new SignerDataRetiredException(caseId); // for good: asking again cannot help
            }
            // Refusals of the request, not faults: a hold placed after this service's own check, or the caller's
            // credential revoked there before here. Both were 503 petition-service-unavailable with Retry-After
            // until a read-only review (6 December 2026): a retry cannot help, and a 5xx says the fault is ours
            ProblemException held = heldFor(caseId, e.getResponse());
            if (held != null) {
                LOG.infof("petition-service refused the %s: the case is on safety hold there", what);
                throw held;
            }
            if (e.getResponse() != null && e.getResponse().getStatus() == 401) {
                LOG.infof("petition-service refused the caller's credential for the %s", what);
                throw new UnauthorizedException("petition-service refused the caller's credential");
            }
            ProblemException refused = refusedAsBad(what, e.getResponse());
            if (refused != null) {
                throw refused;
            }
            Integer busy = busyFor(e.getResponse());
            if (busy != null) {
                // petition-service exports one signer list at a time (read-only audit, 4 December 2026): its "busy,
                // try again in n seconds" is passed on as such, not as an outage to wait ten seconds for
                LOG.infof("petition-service is busy with another %s; the caller is told to try again in %d s", what, busy);
                throw new UnavailableException("overloaded", "petition-service busy",
                        "petition-service is exporting another list and could not serve the " + what + " for the delivery "
                                + "pack; nothing was issued or recorded, send the same request again after Retry-After "
                                + "seconds", busy);
            }
            LOG.warnf("petition-service refused the %s: %d", what, e.getResponse() == null ? 0 : e.getResponse().getStatus());
            throw new UnavailableException("petition-service-unavailable", "petition-service unavailable",
                    "the " + what + " for the delivery pack could not be fetched from petition-service; try again shortly", 10);
        } catch (RuntimeException e) {
            // connection refused, timeout, or an unreadable answer: in every case the pack cannot be complete. The
            // type only, as everywhere (Failures.describe): a client's message may quote what it failed to read
            LOG.warnf("petition-service could not serve the %s: %s", what, Failures.describe(e));
            throw new UnavailableException("petition-service-unavailable", "petition-service unavailable",
                    "the " + what + " for the delivery pack could not be fetched from petition-service; try again shortly", 10);
        }
    }
}
