package org.w4r.petition.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.rest.ActionRequest;
import org.w4r.petition.rest.ActionResults;
import org.w4r.petition.rest.BatchRequest;
import org.w4r.petition.rest.BatchResults;
import org.w4r.petition.rest.BatchResults.ItemResult;
import org.w4r.petition.rest.CorrectionRequest;
import org.w4r.petition.rest.MessageRequest;
import org.w4r.petition.rest.OfflineCountRequest;
import org.w4r.petition.rest.SignatureRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Many items in one request and one transaction (entity back-ends syncing from their own tools). Every item is
 * checked first, so a refused item is answered with its problem and writes nothing, while the others are stored.
 */
@ApplicationScoped
public class BatchService {
    public static final int MAX_ITEMS = 1_000;

    @Inject
    SignatureService signatures;

    @Inject
    MessageService messages;

    @Inject
    OnlineActionService actions;

    @Inject
    OfflineCountService offlineCounts;

    /** The HTTP layer's own reader, so an item's body is read exactly as its endpoint would read it (same strictness). */
    @Inject
    ObjectMapper json;

    public record CorrectionItem(UUID offlineCountId,
                                 Long delta,
                                 String reason) {
    }

    @Transactional
    public BatchResults run(String entityId, BatchRequest request) {
        if (request == null || request.items() == null || request.items().isEmpty()) {
            throw ProblemException.invalid("items", "'items' must hold at least one item");
        }
        if (request.items().size() > MAX_ITEMS) {
            throw ProblemException.invalid("items", "at most " + MAX_ITEMS + " items in one batch");
        }
        Set<String> ids = new HashSet<>();
        List<ItemResult> results = new ArrayList<>();
        // signatures are checked in order, but written together at the end in one round trip
        List<Integer> signatureItems = new ArrayList<>();
        List<SignatureService.Checked> checkedSignatures = new ArrayList<>();
        int accepted = 0;
        for (BatchRequest.Item item : request.items()) {
            if (item == null || item.id() == null || item.id().isBlank() || item.id().length() > 200 || !ids.add(item.id())) {
                throw ProblemException.invalid("items.id", "every item needs its own 'id' (1 to 200 characters, unique in the batch)");
            }
            // the id is echoed in the answer, which is stored for replays: the whole batch is refused, as above
            Inputs.text("items.id", item.id(), 200);
            try {
                if ("signature".equals(item.kind())) {
                    SignatureRequest signature = read(item.body(), SignatureRequest.class);
                    checkedSignatures.add(signatures.check(entityId, signature));
                    signatureItems.add(results.size());
                    results.add(null);
                } else {
                    results.add(new ItemResult(item.id(), 202, perform(entityId, item), null));
                }
                accepted++;
            } catch (ProblemException e) {
                results.add(new ItemResult(item.id(), e.problem().status(), null, e.problem()));
            }
        }
        List<ActionResults> written = signatures.writeAll(entityId, checkedSignatures);
        for (int i = 0; i < signatureItems.size(); i++) {
            int at = signatureItems.get(i);
            results.set(at, new ItemResult(request.items().get(at).id(), 202, written.get(i), null));
        }
        return new BatchResults(accepted, results.size() - accepted, results);
    }

    /** Checks, then writes; a check that fails throws before anything of this item is written. */
    private Object perform(String entityId, BatchRequest.Item item) {
        return switch (item.kind() == null ? "" : item.kind()) {
            case "message" -> {
                MessageService.Checked c = messages.check(entityId, read(item.body(), MessageRequest.class));
                yield messages.write(entityId, c);
            }
            case "action" -> {
                OnlineActionService.Checked c = actions.check(entityId, read(item.body(), ActionRequest.class));
                yield actions.write(entityId, c);
            }
            case "offline-count" -> {
                OfflineCountService.Checked c = offlineCounts.check(entityId, read(item.body(), OfflineCountRequest.class));
                yield offlineCounts.write(entityId, c);
            }
            case "offline-correction" -> {
                CorrectionItem c = read(item.body(), CorrectionItem.class);
                if (c.offlineCountId() == null) {
                    throw ProblemException.invalid("offlineCountId", "'offlineCountId' is required");
                }
                yield offlineCounts.correct(entityId, c.offlineCountId(), new CorrectionRequest(c.delta(), c.reason()));
            }
            default -> throw ProblemException.invalid("kind", // "signature" is handled by the caller
                    "'kind' must be signature, message, action, offline-count or offline-correction");
        };
    }

    private <T> T read(JsonNode body, Class<T> type) {
        if (body == null || body.isNull()) {
            throw ProblemException.invalid("body", "the item has no 'body'");
        }
        try {
            return json.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProblemException(Problem.of(400, "invalid-field", "Invalid item body",
                    "the item's body is not a valid " + type.getSimpleName().replace("Request", "").toLowerCase()));
        }
    }
}
