package org.w4r.delivery;

import org.w4r.testsupport.ProxiedDatabase;
import org.w4r.testsupport.ReferenceDataResource;
import org.w4r.testsupport.fixtures.ProxiedProfile;

/** delivery-service reaching its throwaway database through a TCP proxy the test can cut (test-support). */
public class ProxiedDatabaseProfile extends ProxiedProfile {
    static final ProxiedDatabase DATABASE = ProxiedDatabase.named("delivery");

    public ProxiedDatabaseProfile() {
        super(DATABASE, ReferenceDataResource.class, PetitionStub.class);
    }
}
