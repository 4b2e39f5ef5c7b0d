package org.w4r.kit.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Makes a staff member signed in through the organisation's identity provider the same kind of caller as a staff
 * token: one {@link Caller}, at most one staff role, so {@code @RolesAllowed}, {@link CurrentCaller} and the
 * authorization matrix work unchanged.
 * <ul>
 *   <li>The principal is the token's {@code sub}, never the name or email quarkus-oidc would pick: whatever records
 *   "who" (a hold's {@code placed_by}, a handover's {@code recorded_by}) keeps an opaque id, and no personal data
 *   reaches logs.</li>
 *   <li>Roles come from the claim {@code quarkus.oidc.roles.role-claim-path} names; only the four staff roles count.
 *   Anything else there, {@code entity} included, is ignored: an entity acts only through its API key.</li>
 *   <li>Exactly one staff role, as a staff token has. With none, or with several, the identity holds no role: every
 *   staff endpoint answers 403. Several are refused rather than merged because code reads the one role
 *   ({@code Caller.role()}: a delivery team reads approved messages only, a moderator all), and picking one of several
 *   would make that silent and arbitrary. A person with two jobs signs in with one role each (see docs/security.md).</li>
 * </ul>
 */
@ApplicationScoped
public class StaffSignInAugmentor implements SecurityIdentityAugmentor {
    private static final Logger LOG = Logger.getLogger(StaffSignInAugmentor.class);
    /** As long as a staff token's principal may be: the columns that record who did what hold no more. */
    static final int MAX_SUBJECT = 100;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(TokenIdentityProvider.CALLER) != null) {
            return Uni.createFrom().item(identity); // anonymous, or a key or staff token from the directory
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            // only quarkus-oidc makes other identities here, and only from a verified JWT (introspection is off)
            return Uni.createFrom().failure(new AuthenticationFailedException("not a signed-in staff member"));
        }
        String subject = token.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT
                || subject.chars().anyMatch(Character::isISOControl)) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "the access token's 'sub' is missing, or not 1 to " + MAX_SUBJECT + " printable characters"));
        }
        List<String> staffRoles = identity.getRoles().stream().filter(Roles.STAFF::contains).sorted().toList();
        String role = staffRoles.size() == 1 ? staffRoles.get(0) : null;
        if (staffRoles.size() > 1) {
            LOG.debugf("a signed-in staff member holds %d staff roles; one is required, so none applies",
                    staffRoles.size());
        }
        QuarkusSecurityIdentity.Builder signedIn = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(subject))
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addAttribute(TokenIdentityProvider.CALLER, new Caller(subject, role, null, null));
        if (role != null) {
            signedIn.addRole(role);
        }
        return Uni.createFrom().item(signedIn.build());
    }
}
