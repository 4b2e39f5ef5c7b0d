package org.w4r.tally.rest;

import org.w4r.kit.validation.QueryGuard;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.w4r.kit.security.Credentials;
import org.w4r.tally.service.PublicCases;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The embeddable counter (a web component, one script, no dependency) and a page that shows it for every public case
 * in each language it speaks. The script is read once; its tag is its digest, so a new release is a new tag at once.
 */
@Path("/public/v1")
@PermitAll
// neither read takes a parameter, so QueryGuard's is the only 400 of each
// (SmallRye adds the class's responses to each operation)
@APIResponse(responseCode = "400", description = QueryGuard.REFUSED)
public class PublicCounterScriptResource {
    static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    /** The languages the component speaks, with the theme the demo shows each in. */
    private static final String[][] DEMO = {{"en", "light"}, {"fr", "dark"}, {"es", "plain"}, {"ar", "light"}};

    private static final String SCRIPT = read("public-counter/counter.js");
    private static final EntityTag SCRIPT_TAG = new EntityTag(Credentials.sha256(SCRIPT).substring(0, 32));

    @Inject
    PublicCases cases;

    @Inject
    CounterSettings settings;

    @GET
    @Path("counter.js")
    @Produces(JAVASCRIPT)
    @Operation(operationId = "counterScript", summary = "The embeddable counter, <w4r-counter case lang theme> (no credentials)")
    @APIResponse(responseCode = "200", description = "The script; cacheable for minutes, with an ETag",
            content = @Content(mediaType = JAVASCRIPT, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Not modified since the ETag sent in If-None-Match")
    public Response script(@Context Request request) {
        Response.ResponseBuilder notModified = request.evaluatePreconditions(SCRIPT_TAG);
        return (notModified != null ? notModified : Response.ok(SCRIPT, JAVASCRIPT)).tag(SCRIPT_TAG)
                .header("Cache-Control", "public, max-age=" + settings.scriptMaxAge())
                .header("Access-Control-Allow-Origin", "*").header("X-Content-Type-Options", "nosniff").build();
    }

    /** No held case is on it: the page names only the cases the public list names. */
    @GET
    @Path("counter-demo.html")
    @Produces(HTML)
    @Operation(operationId = "counterDemo", summary = "A page showing the counter of every public case in each language")
    @APIResponse(responseCode = "200", description = "The page",
            content = @Content(mediaType = HTML, schema = @Schema(type = SchemaType.STRING)))
    public Response demo() {
        StringBuilder page = new StringBuilder("""
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Write for Rights: the embeddable counter</title>
                </head>
                <body>
                <h1>The embeddable counter</h1>
                <p>Each case's live count, in each language the counter speaks. Embed it with
                <code>&lt;script src="…/public/v1/counter.js"&gt;&lt;/script&gt;</code> and
                <code>&lt;w4r-counter case="…" lang="fr" theme="light"&gt;&lt;/w4r-counter&gt;</code>.</p>
                <table>
                <thead><tr><th scope="col">case</th>""");
        for (String[] language : DEMO) {
            page.append("<th scope=\"col\">").append(language[0]).append(" (").append(language[1]).append(")</th>");
        }
        page.append("</tr></thead>\n<tbody>\n");
        for (PublicCases.PublicCase c : cases.current().cases()) {
            page.append("<tr><th scope=\"row\">").append(escape(c.name())).append("</th>");
            for (String[] language : DEMO) {
                page.append("<td><w4r-counter case=\"").append(escape(c.caseId())).append("\" lang=\"").append(language[0])
                        .append("\" theme=\"").append(language[1]).append("\"></w4r-counter></td>");
            }
            page.append("</tr>\n");
        }
        page.append("</tbody>\n</table>\n<script src=\"counter.js\"></script>\n</body>\n</html>\n");
        return Response.ok(page.toString(), HTML).header("Cache-Control", "no-cache").build();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String read(String resource) {
        try (InputStream in = PublicCounterScriptResource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
