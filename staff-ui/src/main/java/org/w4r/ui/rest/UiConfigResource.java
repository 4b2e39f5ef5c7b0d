package org.w4r.ui.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.w4r.ui.config.StaffSignIn;
import org.w4r.ui.config.UiConfig;

/** The one thing the staff UI answers besides its files: where the APIs are and how to sign in. */
@Path("/config")
@Produces(MediaType.APPLICATION_JSON)
public class UiConfigResource {
    @Inject
    UiConfig config;

    @Inject
    StaffSignIn signIn;

    /** {@code oidc} is null when staff sign in by pasting a staff token. */
    public record UiSettings(String caseService, String petitionService, String tallyService, String deliveryService,
                             StaffSignIn.Oidc oidc) {
    }

    /** Public (the page reads it before anyone signs in): base URLs and the sign-in's public client; no secret. */
    @GET
    public UiSettings settings() {
        return new UiSettings(trim(config.caseServiceUrl()), trim(config.petitionServiceUrl()),
                trim(config.tallyServiceUrl()), trim(config.deliveryServiceUrl()), signIn.oidc().orElse(null));
    }

    /** The page appends "/api/v1/..." to these. */
    private static String trim(String url) {
        return url.trim().replaceAll("/+$", "");
    }
}
