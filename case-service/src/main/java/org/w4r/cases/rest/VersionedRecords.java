package org.w4r.cases.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every answer that shows one versioned record (a case, campaign or entity: a view with a {@code version}) says alike,
 * in the document, what {@link Versions} and {@link IfMatch} do: it carries the record's version as the ETag and its
 * path as the Content-Location (a read, an edit, a creation's 201, a hold's 200 or 202), and an edit that takes
 * If-Match can be refused with 412 edited-since. The resources only declare the view they answer
 * and the {@code @BeanParam IfMatch}. At build time, so the stored document (from which the clients are generated)
 * says it too.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class VersionedRecords implements OASFilter {
    static final String ETAG_DESCRIPTION = "The record's version (its 'version'), for If-Match";
    static final String CONTENT_LOCATION_DESCRIPTION = "The path of the record the body shows, whose version the ETag is";
    static final String EDITED_SINCE = "edited-since: the record changed since the version named in If-Match was read "
            + "('currentVersion' is its version now); nothing was changed: read it again";
    private static final String SCHEMAS = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        Set<String> versioned = versionedViews(openAPI);
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            path.getOperations().values().forEach(operation -> {
                if (operation.getResponses() == null) {
                    return;
                }
                // its problem body is added with every other error's by the kit's ProblemResponses, which runs later
                if (takesIfMatch(operation) && operation.getResponses().getAPIResponse("412") == null) {
                    operation.getResponses().addAPIResponse("412",
                            OASFactory.createAPIResponse().description(EDITED_SINCE));
                }
                operation.getResponses().getAPIResponses().forEach((status, answer) -> {
                    if (status.startsWith("2") && answersOneOf(answer, versioned)) {
                        answer.addHeader(HttpHeaders.ETAG, header(ETAG_DESCRIPTION));
                        answer.addHeader(HttpHeaders.CONTENT_LOCATION, header(CONTENT_LOCATION_DESCRIPTION));
                    }
                });
            });
        }
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description).required(true)
                .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)));
    }

    /** The references of the views that show a record's version: the version their ETag carries. */
    private static Set<String> versionedViews(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents() == null ? null : openAPI.getComponents().getSchemas();
        if (schemas == null) {
            return Set.of();
        }
        return schemas.entrySet().stream()
                .filter(s -> s.getValue().getProperties() != null && s.getValue().getProperties().containsKey("version"))
                .map(s -> SCHEMAS + s.getKey()).collect(Collectors.toSet());
    }

    private static boolean takesIfMatch(Operation operation) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && IfMatch.HEADER.equalsIgnoreCase(p.getName()));
    }

    /** One record: a list of them has no single version to tag. */
    private static boolean answersOneOf(APIResponse response, Set<String> versioned) {
        return response.getContent() != null && response.getContent().getMediaTypes() != null
                && response.getContent().getMediaTypes().values().stream().map(MediaType::getSchema)
                .anyMatch(schema -> schema != null && versioned.contains(schema.getRef()));
    }
}
