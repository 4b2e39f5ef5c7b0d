package org.w4r.testsupport;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/**
 * Test classes in reverse name order, to show that no test leans on one that ran before it (issue 18). Surefire's
 * runOrder does not reach the JUnit Platform here; JUnit's own orderer does:
 * <pre>
 * ./mvnw verify -Djunit.jupiter.testclass.order.default=org.w4r.testsupport.ReverseClassOrder \
 *               -Djunit.quarkus.orderer.secondary-orderer=org.w4r.testsupport.ReverseClassOrder
 * </pre>
 * (the second for modules with {@code @QuarkusTest}, whose orderer groups classes by profile first).
 */
public class ReverseClassOrder implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(
                Comparator.comparing((ClassDescriptor d) -> d.getTestClass().getName()).reversed());
    }
}
