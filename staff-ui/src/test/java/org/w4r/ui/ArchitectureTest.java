package org.w4r.ui;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.w4r.testsupport.architecture.LayerRules;

import java.util.stream.Stream;

/** staff-ui keeps the platform's shape (docs/architecture.md, "One shape"). */
class ArchitectureTest {
    @TestFactory
    Stream<DynamicTest> layers() {
        return LayerRules.check();
    }
}
