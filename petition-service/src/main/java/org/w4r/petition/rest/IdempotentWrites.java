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
 * answer may be a replay ({@code Idempotent-Replayed}), and that it may be refused over a rate limit (429 with
 * {@code Retry-After}): the resources only declare {@code @HeaderParam}. At build
 * time, so the stored document (from which the clients are generated) says it too.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class IdempotentWrites implements OASFilter {
    static final String KEY_DESCRIPTION = "Makes a retry safe: the first answer is stored under (entity, key) with its "
            + "effect, and the same request with the same key gets it again (Idempotent-Replayed: true) and changes "
            + "nothing; the same key with another body is refused (422). Kept two days.";
    static final String REPLAYED_DESCRIPTION = "'true' when this is the answer stored under the Idempotency-Key";

    @Override
    public Operation filterOperation(Operation operation) {
        Parameter key = operation.getParameters() == null ? null : operation.getParameters().stream()
                .filter(p -> p.getIn() == Parameter.In.HEADER && IdempotencyKey.HEADER.equals(p.getName()))
                .findFirst().orElse(null);
        if (key == null) {
            return operation;
        }
        key.description(KEY_DESCRIPTION).schema(text().minLength(1).maxLength(IdempotencyKey.MAX_LENGTH));
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("2")) {
                response.addHeader(Answers.REPLAYED, OASFactory.createHeader().description(REPLAYED_DESCRIPTION).schema(text()));
            }
        });
        // the writes that take a key are the entity's writes, and every one of them is rate limited (EntityWrites)
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
