package org.w4r.kit.security;

import java.util.Set;

/** The roles a caller can hold. An entity key acts only for its own entity. */
public final class Roles {
    public static final String ENTITY = "entity";
    public static final String COORDINATOR = "coordinator";
    public static final String CASE_MANAGER = "case-manager";
    public static final String DELIVERY = "delivery";
    public static final String MODERATOR = "moderator";

    public static final Set<String> STAFF = Set.of(COORDINATOR, CASE_MANAGER, DELIVERY, MODERATOR);

    private Roles() {
    }

    /** Null-safe: a signed-in person without a staff role has none ({@link StaffSignInAugmentor}). */
    public static boolean isStaff(String role) {
        return role != null && STAFF.contains(role);
    }
}
