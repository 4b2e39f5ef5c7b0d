package org.w4r.petition.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.w4r.kit.problem.Problem;
import org.w4r.petition.service.IdempotencyKey;

import java.util.List;

/**
 * Every write that takes an {@code Idempotency-Key} header says alike, in the document, what the key does and that its
 * answer may be a replay ({@code Idempotent-Replayed}), and, an entity's, that it may be refused over a rate limit (429
 * with {@code Retry-After}): the resources only declare {@code @HeaderParam}. At build
 * time, so the stored document (from which the clients are generated) says it too.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class IdempotentWrites implements OASFilter {
    static final String KEY_DESCRIPTION = keyDescription("entity");
    static final String REPLAYED_DESCRIPTION = "'true' when this is the answer stored under the Idempotency-Key";
    /**
     * On a coordinator's keyed write ({@code @Operation(extensions = @Extension(name = STAFF_WRITE, value = "true"))};
     * an {@code @Extension} of the method would land on its responses too): its key is the
     * coordinator's, and no rate limit applies to it (the limits are an entity's), so it gets no 429. Taken out of
     * the document here: it only tells this filter.
     */
    static final String STAFF_WRITE = "x-w4r-staff-write";

    private static String keyDescription(String owner) {
        return "Makes a retry safe: the first answer is stored under (" + owner + ", key) with its effect, and the "
                + "same request with the same key gets it again (Idempotent-Replayed: true) and changes nothing; the "
                + "same key with another body is refused (422). Kept two days.";
    }

    @Override
    public Operation filterOperation(Operation operation) {
        boolean staff = operation.getExtensions() != null && operation.getExtensions().containsKey(STAFF_WRITE);
        if (staff) {
            operation.removeExtension(STAFF_WRITE);
        }
        Parameter key = operation.getParameters() == null ? null : operation.getParameters().stream()
                .filter(p -> p.getIn() == Parameter.In.HEADER && IdempotencyKey.HEADER.equals(p.getName()))
                .findFirst().orElse(null);
        if (key == null) {
            return operation;
        }
        key.description(staff ? keyDescription("coordinator") : KEY_DESCRIPTION)
                .schema(text().minLength(1).maxLength(IdempotencyKey.MAX_LENGTH));
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("2")) {
                response.addHeader(Answers.REPLAYED, OASFactory.createHeader().description(REPLAYED_DESCRIPTION).schema(text()));
            }
        });
        if (staff) {
            return operation;
        }
        // an entity's write that takes a key is rate limited, every one of them (EntityWrites)
        operation.getResponses().addAPIResponse("429", OASFactory.createAPIResponse().description(Api.RATE_LIMITED_DESCRIPTION)
                .addHeader(Problem.RETRY_AFTER, OASFactory.createHeader().description(Api.RETRY_AFTER_DESCRIPTION)
                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))))
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem")))));
        return operation;
    }

    private static Schema text() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
    }
}
