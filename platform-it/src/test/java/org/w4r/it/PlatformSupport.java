package org.w4r.it;

import org.junit.jupiter.api.BeforeAll;

/** The packaged platform an end-to-end test runs against, there before anything of the test class's own set-up. */
abstract class PlatformSupport {
    static TestPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = TestPlatform.get();
    }
}
