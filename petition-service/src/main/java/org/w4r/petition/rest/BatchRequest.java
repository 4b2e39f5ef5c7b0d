package org.w4r.petition.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.service.BatchService;
import org.w4r.petition.service.Inputs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Up to 1,000 items, each with the caller's own id, answered item by item. {@code kind}: signature, message,
 * action, offline-count, offline-correction; {@code body}: what the item's own endpoint takes (a correction's
 * body also names its {@code offlineCountId}).
 */
public record BatchRequest(List<Item> items) {

    public record Item(String id, String kind, JsonNode body) {
    }

    /** A correction's body in a batch: the endpoint's, and the entry it corrects. */
    public record CorrectionItem(UUID offlineCountId, Long delta, String reason) {
    }

    /**
     * Each item read and checked as its own endpoint would (with the endpoints' own JSON reader, {@code json}); an item
     * that fails is refused alone. An item without a usable id refuses the whole batch: the id is echoed in the answer,
     * which is stored for replays.
     */
    List<BatchService.Item> toItems(ObjectMapper json) {
        if (items == null || items.isEmpty()) {
            throw ProblemException.invalid("items", "'items' must hold at least one item");
        }
        if (items.size() > BatchService.MAX_ITEMS) {
            throw ProblemException.invalid("items", "at most " + BatchService.MAX_ITEMS + " items in one batch");
        }
        Set<String> ids = new HashSet<>();
        List<BatchService.Item> checked = new ArrayList<>(items.size());
        for (Item item : items) {
            if (item == null || item.id() == null || item.id().isBlank() || item.id().length() > 200 || !ids.add(item.id())) {
                throw ProblemException.invalid("items.id", "every item needs its own 'id' (1 to 200 characters, unique in the batch)");
            }
            Inputs.text("items.id", item.id(), 200);
            try {
                checked.add(new BatchService.Item(item.id(), request(json, item), null));
            } catch (ProblemException e) {
                checked.add(new BatchService.Item(item.id(), null, e.problem()));
            }
        }
        return checked;
    }

    private static Object request(ObjectMapper json, Item item) {
        return switch (item.kind() == null ? "" : item.kind()) {
            case "signature" -> read(json, item.body(), SignatureRequest.class).toSignature();
            case "message" -> read(json, item.body(), MessageRequest.class).toMessage();
            case "action" -> read(json, item.body(), ActionRequest.class).toAction();
            case "offline-count" -> read(json, item.body(), OfflineCountRequest.class).toOfflineCount();
            case "offline-correction" -> {
                CorrectionItem c = read(json, item.body(), CorrectionItem.class);
                if (c.offlineCountId() == null) {
                    throw ProblemException.invalid("offlineCountId", "'offlineCountId' is required");
                }
                yield new CorrectionRequest(c.delta(), c.reason()).toCorrection(c.offlineCountId());
            }
            default -> throw ProblemException.invalid("kind",
                    "'kind' must be signature, message, action, offline-count or offline-correction");
        };
    }

    private static <T> T read(ObjectMapper json, JsonNode body, Class<T> type) {
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
