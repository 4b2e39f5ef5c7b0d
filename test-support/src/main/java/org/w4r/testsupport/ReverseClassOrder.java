package org.w4r.testsupport;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/**
 * Test classes in reverse name order, to show that no test depends on another having run before it. Quarkus orders
 * test classes itself (so surefire's runOrder has no effect); this is its secondary orderer:
 * {@code -Djunit.quarkus.orderer.secondary-orderer=org.w4r.testsupport.ReverseClassOrder}.
 */
public class ReverseClassOrder implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing((ClassDescriptor d) -> d.getTestClass().getName()).reversed());
    }
}
