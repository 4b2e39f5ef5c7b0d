package org.w4r.kit.validation;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.w4r.kit.problem.Problem;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Refuses a query parameter the endpoint does not declare, one given twice or given empty, with a 400 problem+json: a misspelt
 * filter (or one this service does not have, such as {@code ?until=}) must never silently answer about something
 * else, and JAX-RS would otherwise read the first of two values and ignore the second. What each declared parameter
 * may hold is Bean Validation's business, on the resource method (ids are {@code @Slug}s).
 * <p>
 * Every endpoint of every service, so a URL carries nothing its endpoint does not read: a public read cached by a CDN
 * keeps one copy per URL, and a made-up parameter ({@code ?x=<random>}) made each anonymous request a miss that reached
 * the database (case-service's public case list, a read-only review of 7 December 2026). Runs after authentication, so
 * an anonymous caller learns nothing of a staff endpoint's parameters. {@code ?format=} is an endpoint's own where it
 * answers CSV ({@link org.w4r.kit.csv.CsvFormatParameter}); an endpoint declares it with the others.
 */
@Provider
public class QueryGuard implements ContainerRequestFilter {
    /** For the OpenAPI document of a public read ({@code /api/} operations get it from {@code ProblemResponses}). */
    public static final String REFUSED = "a query parameter the endpoint does not declare, or one given twice or empty";
    private static final Map<Method, Set<String>> DECLARED = new ConcurrentHashMap<>();

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Set<String> declared = DECLARED.computeIfAbsent(method, QueryGuard::queryParameters);
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters(true);
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (!declared.contains(name)) {
                refuse(request, name, "unknown parameter '" + printable(name) + "'");
                return;
            }
            if (parameter.getValue().size() > 1) {
                refuse(request, name, "parameter '" + name + "' is given more than once");
                return;
            }
            if (parameter.getValue().get(0).isEmpty()) {
                // JAX-RS reads '?campaign=' as no campaign, which would answer about the current one
                refuse(request, name, "parameter '" + name + "' must not be empty");
                return;
            }
        }
    }

    /** The method's {@code @QueryParam}s, and those of its {@code @BeanParam}s (tally-service's {@code CampaignQuery}). */
    private static Set<String> queryParameters(Method method) {
        return Arrays.stream(method.getParameters())
                .flatMap(p -> p.isAnnotationPresent(BeanParam.class)
                        ? Arrays.stream(p.getType().getDeclaredFields()).map(f -> f.getAnnotation(QueryParam.class))
                        : Stream.of(p.getAnnotation(QueryParam.class)))
                .filter(q -> q != null).map(QueryParam::value).collect(Collectors.toUnmodifiableSet());
    }

    /** A parameter name fit for an error message: the name is the caller's text, so only its harmless part. */
    private static String printable(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return safe.length() > 40 ? safe.substring(0, 40) + "…" : safe;
    }

    private static void refuse(ContainerRequestContext request, String field, String detail) {
        Response refusal = Problem.of(400, "invalid-field", "Invalid field", detail).with("field", printable(field)).toResponse();
        // every /public/ read answers any origin, so an entity's page can tell a refusal from a network failure
        request.abortWith(request.getUriInfo().getRequestUri().getPath().startsWith("/public/")
                ? Response.fromResponse(refusal).header("Access-Control-Allow-Origin", "*").build() : refusal);
    }
}
