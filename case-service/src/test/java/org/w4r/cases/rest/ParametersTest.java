package org.w4r.cases.rest;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every path and query parameter of case-service's resources is taken as text and checked by Bean Validation (or
 * looked up, {@code service/Ids}). JAX-RS answers 404 for a query or path parameter it cannot convert to a number, so
 * {@code DELETE /api/v1/cases/{id}/hold?holdId=abc} told "no such case" of a case that exists (a read-only review,
 * 6 December 2026); a 400 naming the parameter needs the conversion in our hands.
 */
class ParametersTest {
    @Test
    void everyPathAndQueryParameterIsText() {
        List<String> typed = new ArrayList<>();
        for (Class<?> resource : List.of(CampaignResource.class, CaseResource.class, EntityResource.class,
                StaffResource.class, PublicCaseResource.class)) {
            for (Method method : resource.getDeclaredMethods()) {
                for (Parameter p : method.getParameters()) {
                    boolean param = p.isAnnotationPresent(QueryParam.class) || p.isAnnotationPresent(PathParam.class);
                    if (param && p.getType() != String.class) {
                        typed.add(resource.getSimpleName() + "." + method.getName() + "(" + p.getType().getSimpleName() + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), typed);
    }
}
