package org.w4r.cases.rest;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

/**
 * A record's version as HTTP carries it out: a strong ETag ({@code "7"}) on a read or an edit of one case, campaign or
 * entity, which the next edit sends back in its {@link IfMatch}.
 */
final class Versions {
    private Versions() {
    }

    /** 200 with the view and its version as the ETag. */
    static Response tagged(Object view, long version) {
        return tag(Response.ok(view), version).build();
    }

    /**
     * Any answer that shows one record carries its version as the ETag, whatever its status (a creation's 201, a hold's
     * 200 or 202): a client edits next with the tag it was just answered, without reading the record again.
     */
    static Response.ResponseBuilder tag(Response.ResponseBuilder answer, long version) {
        return answer.tag(new EntityTag(Long.toString(version)));
    }
}
