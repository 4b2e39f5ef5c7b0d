package org.w4r.testsupport;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/**
 * Test classes in reverse name order, to show that no test leans on one that ran before it (issue 18). Surefire's
 * runOrder does not reach the JUnit Platform here (Quarkus orders test classes itself). Modules with
 * {@code @QuarkusTest} take it as Quarkus's secondary orderer (Quarkus refuses a replaced class orderer: it groups
 * classes by profile first); the others as JUnit's default:
 * <pre>
 * ./mvnw verify -Djunit.quarkus.orderer.secondary-orderer=org.w4r.testsupport.ReverseClassOrder
 * ./mvnw verify -pl event-contract,service-kit,test-support,replay,deploy \
 *               -Djunit.jupiter.testclass.order.default=org.w4r.testsupport.ReverseClassOrder
 * </pre>
 */
public class ReverseClassOrder implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(
                Comparator.comparing((ClassDescriptor d) -> d.getTestClass().getName()).reversed());
    }
}
