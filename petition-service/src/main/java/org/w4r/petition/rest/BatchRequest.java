package org.w4r.petition.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.OneLine;
import org.w4r.kit.validation.Violations;
import org.w4r.petition.service.BatchService;

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
@Schema(description = "Up to 1,000 items in one transaction, each answered on its own")
public record BatchRequest(@NotNull @Size(min = 1, max = BatchService.MAX_ITEMS) @Valid List<@NotNull Item> items) {

    @Schema(name = "BatchItem")
    public record Item(
            @Schema(description = "The caller's id for the item, unique in the batch; echoed in its result", example = "row-1", maxLength = 200)
            @NotBlank @OneLine(max = 200) String id,
            @Schema(description = "signature, message, action, offline-count or offline-correction; any other kind "
                    + "refuses the item alone", example = "action") @NotNull String kind,
            @Schema(type = SchemaType.OBJECT, implementation = Object.class, description = "What the kind's own endpoint takes (an offline-correction "
                    + "also names its offlineCountId); a body its endpoint would refuse refuses the item alone")
            @NotNull ObjectNode body) {
    }

    /** A correction's body in a batch: the endpoint's, and the entry it corrects. */
    @Schema(hidden = true)
    public record CorrectionItem(@NotNull UUID offlineCountId, Long delta, String reason) {
    }

    /**
     * Each item read and checked as its own endpoint would (with the endpoints' own JSON reader and validator); an
     * item that fails is refused alone. Ids must be unique: the id is echoed in the answer, which is stored for replays.
     */
    List<BatchService.Item> toItems(ObjectMapper json, Validator validator) {
        Set<String> ids = new HashSet<>();
        List<BatchService.Item> checked = new ArrayList<>(items.size());
        for (Item item : items) {
            if (!ids.add(item.id())) {
                throw ProblemException.invalid("items.id", "every item needs its own 'id' (unique in the batch)");
            }
            try {
                checked.add(new BatchService.Item(item.id(), request(json, validator, item), null));
            } catch (ProblemException e) {
                checked.add(new BatchService.Item(item.id(), null, e.problem()));
            }
        }
        return checked;
    }

    private static Object request(ObjectMapper json, Validator validator, Item item) {
        return switch (item.kind()) {
            case "signature" -> read(json, validator, item.body(), SignatureRequest.class).toSignature();
            case "message" -> read(json, validator, item.body(), MessageRequest.class).toMessage();
            case "action" -> read(json, validator, item.body(), ActionRequest.class).toAction();
            case "offline-count" -> read(json, validator, item.body(), OfflineCountRequest.class).toOfflineCount();
            case "offline-correction" -> {
                CorrectionItem c = read(json, validator, item.body(), CorrectionItem.class);
                CorrectionRequest correction = Violations.check(validator, new CorrectionRequest(c.delta(), c.reason()));
                yield correction.toCorrection(c.offlineCountId());
            }
            default -> throw ProblemException.invalid("kind",
                    "'kind' must be signature, message, action, offline-count or offline-correction");
        };
    }

    private static <T> T read(ObjectMapper json, Validator validator, JsonNode body, Class<T> type) {
        T request;
        try {
            request = json.treeToValue(body, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProblemException(Problem.of(400, "invalid-field", "Invalid item body",
                    "the item's body is not a valid " + type.getSimpleName().replace("Request", "").toLowerCase()));
        }
        return Violations.check(validator, request);
    }
}
