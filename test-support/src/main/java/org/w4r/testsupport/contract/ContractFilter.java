package org.w4r.testsupport.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every rest-assured exchange with an {@code /api/} path against the OpenAPI document the service under test
 * serves at {@code /q/openapi}, so a drift between what the service answers and what its contract says fails the
 * test that saw it (issue 19). The rules:
 * <ul>
 *   <li>every answer must be documented: its status, its media type and its body's schema (errors included);</li>
 *   <li>a request that was accepted (2xx) must be one the document allows: a document stricter than the service
 *       would make a generated client refuse what the service takes;</li>
 *   <li>a request that was refused (4xx) is meant to break the contract (tests send bad input on purpose): only the
 *       answer is checked.</li>
 * </ul>
 * The document is fetched once per application start (port and test profile) with a plain HTTP client, so the fetch
 * is not itself filtered.
 */
public final class ContractFilter implements OrderedFilter {
    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
    private volatile String application = "default";

    /** Which application start the following exchanges talk to (its document may differ by test profile). */
    public void application(String key) {
        this.application = key;
    }

    @Override
    public int getOrder() {
        return OrderedFilter.LOWEST_PRECEDENCE;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
                           FilterContext context) {
        Response response = context.next(request, responseSpec);
        URI uri = URI.create(request.getURI());
        if (!uri.getPath().startsWith("/api/")) {
            return response;
        }
        // a CORS preflight is answered by the HTTP layer for the browser, before any operation: not part of the contract
        if ("OPTIONS".equalsIgnoreCase(request.getMethod())
                && request.getHeaders().hasHeaderWithName("Access-Control-Request-Method")) {
            return response;
        }
        OpenApiInteractionValidator validator = VALIDATORS.computeIfAbsent(application + "@" + uri.getPort(),
                key -> OpenApiInteractionValidator.createForInlineApiSpecification(ServedDocument.fetch(uri)).build());
        int status = response.statusCode();
        // rest-assured adds auth().oauth2(...) when it sends, not to the specification the validator reads
        if (request.getAuthenticationScheme() instanceof io.restassured.authentication.PreemptiveOAuth2HeaderScheme oauth
                && !request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", "Bearer " + oauth.getAccessToken());
        }
        ValidationReport report = validator.validateResponse(uri.getPath(),
                Request.Method.valueOf(request.getMethod().toUpperCase()), RestAssuredResponse.of(response));
        if (status >= 200 && status < 300) {
            report = report.merge(validator.validateRequest(RestAssuredRequest.of(request)));
        }
        // JAX-RS' own 404 (problem type http-404) means no operation matched the path, e.g. a NUL where an id goes:
        // no operation answered, so none has it to declare (the validator may still match the path to a neighbour,
        // as /api/v1/offline-counts/%00 to the list /api/v1/offline-counts); an operation's own 404 has a type of its own
        boolean noOperation = status == 404 && response.asString().contains("/problems/http-404\"");
        List<ValidationReport.Message> errors = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .filter(m -> !(status == 404 || status == 405) || !m.getKey().endsWith("path.missing")
                        && !m.getKey().endsWith("operation.notAllowed"))
                .filter(m -> !noOperation)
                .toList();
        if (!errors.isEmpty()) {
            throw new AssertionError("the answer to " + request.getMethod() + " " + uri.getPath() + " (" + status
                    + ") breaks the served OpenAPI document:\n"
                    + SimpleValidationReportFormat.getInstance().apply(ValidationReport.from(errors))
                    + "\nbody: " + abbreviate(response.asString()));
        }
        return response;
    }

    private static String abbreviate(String body) {
        return body.length() > 600 ? body.substring(0, 600) + "…" : body;
    }
}
