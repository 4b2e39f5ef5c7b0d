package org.w4r.petition.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.kit.problem.Problem;
import org.w4r.petition.service.Answer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A write's answer as HTTP: its status and the JSON body stored with it; a replay says so in a header. */
final class Answers {
    static final String REPLAYED = "Idempotent-Replayed";

    private Answers() {
    }

    static Response response(Answer answer) {
        // a refusal kept under its key comes back as what it was: problem+json
        Response.ResponseBuilder response = Response.status(answer.status())
                .type(answer.status() >= 400 ? Problem.MEDIA_TYPE : MediaType.APPLICATION_JSON).entity(answer.body());
        return answer.replayed() ? response.header(REPLAYED, "true").build() : response.build();
    }

    /** As above, once the answer comes; a refusal stays the exception the problem mappers answer. */
    static CompletionStage<Response> response(CompletionStage<Answer> answer) {
        CompletableFuture<Response> response = new CompletableFuture<>();
        answer.whenComplete((a, failure) -> {
            if (failure != null) {
                response.completeExceptionally(failure);
            } else {
                response.complete(response(a));
            }
        });
        return response;
    }
}
