package org.w4r.kit.csv;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * {@code ?format=csv} on any URL means {@code Accept: text/csv}: a link a coordinator can paste into a spreadsheet or
 * click in a browser (which cannot set Accept). Negotiation itself stays with JAX-RS and {@code @Produces}.
 */
@Provider
@PreMatching
public class CsvFormatParameter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        if ("csv".equalsIgnoreCase(request.getUriInfo().getQueryParameters().getFirst("format"))) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, CsvBodyWriter.MEDIA_TYPE);
        }
    }
}
