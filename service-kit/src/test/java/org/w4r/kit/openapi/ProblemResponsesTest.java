package org.w4r.kit.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the filter adds depends on what the operation declares, and every error becomes a problem document. */
class ProblemResponsesTest {
    @Test
    void aSecuredWriteGetsEveryCommonErrorAsAProblem() {
        Operation write = OASFactory.createOperation()
                .requestBody(OASFactory.createRequestBody())
                .addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("bearer"))
                .responses(OASFactory.createAPIResponses()
                        .addAPIResponse("202", OASFactory.createAPIResponse().description("taken"))
                        .addAPIResponse("409", OASFactory.createAPIResponse().description("own conflict")));
        OpenAPI document = document("/api/v1/signatures", write);
        new ProblemResponses().filterOpenAPI(document);
        assertEquals(Set.of("202", "409", "400", "413", "415", "401", "403", "503"),
                write.getResponses().getAPIResponses().keySet());
        assertEquals("own conflict", write.getResponses().getAPIResponse("409").getDescription());
        assertNotNull(write.getResponses().getAPIResponse("409").getContent().getMediaType("application/problem+json"));
        assertNull(write.getResponses().getAPIResponse("202").getContent());
        assertNotNull(document.getComponents().getSchemas().get("Problem"));
    }

    @Test
    void anApiReadWithoutParametersCanStillRefuseOneItDoesNotDeclare() {
        Operation read = OASFactory.createOperation().responses(OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse().description("ok")));
        new ProblemResponses().filterOpenAPI(document("/api/v1/me", read));
        // QueryGuard answers 400 to ?anything= on every endpoint, so every /api/ operation documents it
        assertEquals(Set.of("200", "400", "503"), read.getResponses().getAPIResponses().keySet());
    }

    @Test
    void anOperationOnANamedThingCanAnswerThatThereIsNoSuchThing() {
        Operation read = OASFactory.createOperation().responses(OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse().description("ok")));
        new ProblemResponses().filterOpenAPI(document("/api/v1/campaigns/{campaignId}/extensions/{entityId}", read));
        assertEquals(Set.of("200", "400", "404", "503"), read.getResponses().getAPIResponses().keySet());
        assertEquals("No such campaign or entity", read.getResponses().getAPIResponse("404").getDescription());
        assertNotNull(read.getResponses().getAPIResponse("404").getContent().getMediaType("application/problem+json"));
    }

    @Test
    void aDeclared404SaysMoreAndIsKept() {
        Operation read = OASFactory.createOperation().responses(OASFactory.createAPIResponses()
                .addAPIResponse("404", OASFactory.createAPIResponse().description("No delivery with this id")));
        new ProblemResponses().filterOpenAPI(document("/api/v1/deliveries/{id}", read));
        assertEquals("No delivery with this id", read.getResponses().getAPIResponse("404").getDescription());
        assertEquals(List.of("id"), ProblemResponses.named("/api/v1/deliveries/{id}/pack"));
    }

    @Test
    void aPublicReadsOwnErrorsAreProblemsAndNothingIsAdded() {
        Operation counter = OASFactory.createOperation().responses(OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse().description("ok"))
                .addAPIResponse("404", OASFactory.createAPIResponse().description("its counter is off")));
        new ProblemResponses().filterOpenAPI(document("/public/v1/cases/{caseId}/counter", counter));
        assertEquals(Set.of("200", "404"), counter.getResponses().getAPIResponses().keySet());
        assertEquals("its counter is off", counter.getResponses().getAPIResponse("404").getDescription());
        assertNotNull(counter.getResponses().getAPIResponse("404").getContent().getMediaType("application/problem+json"));
        assertNull(counter.getResponses().getAPIResponse("200").getContent());
    }

    @Test
    void pathsOutsideTheApiAndThePublicReadsAreLeftAlone() {
        Operation health = OASFactory.createOperation().responses(OASFactory.createAPIResponses()
                .addAPIResponse("200", OASFactory.createAPIResponse().description("ok")));
        new ProblemResponses().filterOpenAPI(document("/q/health", health));
        assertEquals(List.of("200"), List.copyOf(health.getResponses().getAPIResponses().keySet()));
    }

    private static OpenAPI document(String path, Operation operation) {
        return OASFactory.createOpenAPI().paths(OASFactory.createPaths()
                .addPathItem(path, OASFactory.createPathItem().POST(operation)));
    }
}
