package org.w4r.petition.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.w4r.petition.service.Answer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A write's answer as HTTP: its status and the JSON body stored with it; a replay says so in a header. */
final class Answers {
    static final String REPLAYED = "Idempotent-Replayed";

    private Answers() {
    }

    static Response response(Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).type(MediaType.APPLICATION_JSON)
                .entity(answer.body());
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
