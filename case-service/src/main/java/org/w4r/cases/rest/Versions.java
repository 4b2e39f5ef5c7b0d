package org.w4r.cases.rest;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * A record's version as HTTP carries it out: a strong ETag ({@code "7"}) on every answer that shows one case, campaign
 * or entity, which the next edit sends back in its {@link IfMatch}.
 */
final class Versions {
    private Versions() {
    }

    /** 200 with the view of the record at {@code path}, tagged. */
    static Response tagged(Object view, String path, long version) {
        return tag(Response.ok(view), path, version).build();
    }

    /** 201 with the view of the record just created at {@code path}, its Location, tagged. */
    static Response created(Object view, String path, long version) {
        return tag(Response.created(URI.create(path)).entity(view), path, version).build();
    }

    /**
     * Any answer that shows one record carries its version as the ETag, whatever its status (a creation's 201, a hold's
     * 200 or 202): a client edits next with the tag it was just answered, without reading the record again. With it,
     * Content-Location names the record the body shows: a hold is a PUT to {@code /cases/{id}/hold} and a creation a
     * POST to {@code /cases}, and a tag answered to them would otherwise read as the validator of that path (RFC 9110
     * 8.7 and 9.3.4), where it is the case's.
     */
    static Response.ResponseBuilder tag(Response.ResponseBuilder answer, String path, long version) {
        return answer.tag(new EntityTag(Long.toString(version))).header(HttpHeaders.CONTENT_LOCATION, path);
    }
}
