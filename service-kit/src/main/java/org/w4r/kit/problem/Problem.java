package org.w4r.kit.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** An RFC 9457 problem detail. {@code extensions} carry machine-readable specifics (field, caseId, hold). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String RETRY_AFTER = "Retry-After";
    private static final String TYPE_BASE = "https://w4r.example.org/problems/";
    private static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, new LinkedHashMap<>());
    }

    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    /**
     * The same request may be sent again after {@code seconds}: said in the body ({@code retryAfterSeconds}) and, by
     * {@link #toResponse()}, as {@code Retry-After} (RFC 9110), which HTTP clients and proxies act on without reading
     * the body. Until 5 December 2026 each refusal that had a wait set the header its own way, and the database's 503s
     * not at all.
     */
    public Problem retryAfter(long seconds) {
        return with(RETRY_AFTER_SECONDS, seconds);
    }

    @JsonAnyGetter
    public Map<String, Object> any() {
        return extensions;
    }

    public Response toResponse() {
        Response.ResponseBuilder answer = Response.status(status).type(MEDIA_TYPE).entity(this);
        if (extensions.get(RETRY_AFTER_SECONDS) instanceof Number seconds) {
            answer.header(RETRY_AFTER, seconds.longValue());
        }
        return answer.build();
    }
}
