package org.w4r.kit.csv;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.List;

/**
 * An answer that is also a table ({@code @Produces({"application/json", "text/csv"})} and {@code @APIResponseSchema}
 * of a {@link CsvTable.Source}) is documented once here: the scanner gives {@code text/csv} the JSON answer's schema,
 * but {@link CsvBodyWriter} writes text, and the answer's description says how to ask for either. At build time, so
 * the stored document (from which the clients are generated) says it too.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class CsvAnswers implements OASFilter {
    static final String EITHER = ", as JSON or, with Accept: text/csv (or ?format=csv), CSV";

    /** Only an answer that is JSON and CSV alike and whose CSV the scanner described as the JSON object. */
    @Override
    public APIResponse filterAPIResponse(APIResponse response) {
        Content content = response.getContent();
        if (content == null || content.getMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON) == null) {
            return response;
        }
        MediaType csv = content.getMediaType(CsvBodyWriter.MEDIA_TYPE);
        if (csv != null && csv.getSchema() != null && csv.getSchema().getRef() != null) {
            csv.setSchema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)));
            response.setDescription(response.getDescription() + EITHER);
        }
        return response;
    }
}
