package org.w4r.cases;

import org.w4r.testsupport.ProxiedDatabase;
import org.w4r.testsupport.fixtures.ProxiedProfile;

/** case-service reaching its throwaway database through a TCP proxy the test can cut (test-support). */
public class ProxiedDatabaseProfile extends ProxiedProfile {
    static final ProxiedDatabase DATABASE = ProxiedDatabase.named("cases");

    public ProxiedDatabaseProfile() {
        super(DATABASE);
    }
}
