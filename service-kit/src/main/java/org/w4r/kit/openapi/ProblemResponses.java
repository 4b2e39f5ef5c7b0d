package org.w4r.kit.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.w4r.kit.problem.Problem;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The answers every endpoint of the platform can give whatever it does, added to each operation of the served
 * document from what the operation declares, so no resource repeats them and none can forget one:
 * <ul>
 *   <li>every error is {@code application/problem+json} with the {@code Problem} schema (RFC 9457);</li>
 *   <li>every operation can answer 400: a query parameter it does not declare is refused ({@code QueryGuard}), as is
 *       a malformed parameter or body; one with a body 413 and 415;</li>
 *   <li>a secured operation (Quarkus adds its security requirement from {@code @RolesAllowed}) 401 and 403;</li>
 *   <li>an operation whose path names something ({@code /cases/{caseId}}) 404 when there is no such thing: "No such
 *       case" (each {@code …Id} parameter's name without {@code Id}, joined with "or");</li>
 *   <li>every operation 503: the database (or, for a write that stayed unanswered, the commit) did not answer; a write
 *       then says {@code outcome-unknown}: retry with the same Idempotency-Key.</li>
 * </ul>
 * The public reads ({@code /public/}: counters, open data, the public case list) declare their own answers, having
 * no credential and their own 400 and 404; only the first rule is theirs too.
 * What only one endpoint can answer (409, 422, 429, or a 404 that says more) is declared on that endpoint with
 * {@code @APIResponse}. An operation that declares no {@code @APIResponse} keeps the 200 generated from its return
 * type, so a plain read declares none.
 */
public class ProblemResponses implements OASFilter {
    static final String SCHEMA = "Problem";
    private static final String REF = "#/components/schemas/" + SCHEMA;
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}/:]+)[^}]*}");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (path.getKey().startsWith("/api/")) {
                List<String> named = named(path.getKey());
                path.getValue().getOperations().values().forEach(operation -> complete(operation, named));
            } else if (path.getKey().startsWith("/public/")) {
                // what an anonymous read answers is its own (no 401, its own 400 and 404), but its errors are problems
                path.getValue().getOperations().values().stream().filter(operation -> operation.getResponses() != null)
                        .forEach(operation -> problems(operation.getResponses()));
            }
        }
    }

    private void complete(Operation operation, List<String> named) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        boolean hasBody = operation.getRequestBody() != null;
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        add(responses, "400", "The request is malformed, a field is invalid or a query parameter is not the "
                + "endpoint's (undeclared, repeated or empty); 'field' names it");
        if (hasBody) {
            add(responses, "413", "The body is larger than this endpoint accepts");
            add(responses, "415", "The body is not of a media type this endpoint reads");
        }
        if (!named.isEmpty()) {
            add(responses, "404", "No such " + String.join(" or ", named));
        }
        if (secured) {
            add(responses, "401", "No valid credential: send 'Authorization: Bearer <token>'");
            add(responses, "403", "This credential's role or entity may not do this");
        }
        add(responses, "503", "A dependency did not answer; a write answered 'outcome-unknown' may have been stored: "
                + "resend it (with the same Idempotency-Key where the endpoint takes one)");
        problems(responses);
    }

    /** Every error, declared here or on the endpoint, is a problem document. */
    private static void problems(APIResponses responses) {
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(problemContent());
            }
        });
    }

    /** What the path's parameters name: {@code {campaignId}/extensions/{entityId}} names a campaign and an entity. */
    static List<String> named(String path) {
        return PATH_PARAMETER.matcher(path).results()
                .map(m -> m.group(1).endsWith("Id") && m.group(1).length() > 2
                        ? m.group(1).substring(0, m.group(1).length() - 2) : m.group(1))
                .toList();
    }

    private void add(APIResponses responses, String status, String description) {
        if (responses.getAPIResponse(status) == null) {
            APIResponse response = OASFactory.createAPIResponse().description(description);
            responses.addAPIResponse(status, response);
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF)));
    }

    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
        return OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("An RFC 9457 problem detail; extensions carry specifics (field, caseId, hold, errors)")
                .addProperty("type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).format("uri")
                        .example("https://w4r.example.org/problems/invalid-field"))
                .addProperty("title", text)
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).format("int32"))
                .addProperty("detail", text)
                .addProperty("instance", text)
                .addProperty("field", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .description("for invalid-field: the field as the caller named it"))
                .required(List.of("type", "title", "status"))
                .additionalPropertiesBoolean(Boolean.TRUE);
    }
}
