package org.w4r.delivery;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/**
 * Runs the test classes in reverse name order, to show none depends on another having run first. Quarkus orders
 * the classes itself (surefire's runOrder has no effect), so this is its secondary orderer:
 * {@code -Djunit.quarkus.orderer.secondary-orderer=org.w4r.delivery.ReverseClassOrder}.
 */
public class ReverseClassOrder implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(
                Comparator.comparing((ClassDescriptor d) -> d.getTestClass().getName()).reversed());
    }
}
