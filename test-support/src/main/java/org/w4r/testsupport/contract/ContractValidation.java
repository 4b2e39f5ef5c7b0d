package org.w4r.testsupport.contract;

import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * Turns the {@link ContractFilter} on for every {@code @QuarkusTest} of a module. A module opts in with one line, the
 * name of this class, in {@code src/test/resources/META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback}.
 */
public class ContractValidation implements QuarkusTestBeforeEachCallback {
    private static final ContractFilter FILTER = new ContractFilter();

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        TestProfile profile = context.getTestInstance().getClass().getAnnotation(TestProfile.class);
        FILTER.application(profile == null ? "default" : profile.value().getName());
        if (!RestAssured.filters().contains(FILTER)) {
            RestAssured.filters(FILTER);
        }
    }
}
