package org.w4r.tally.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the page finds the other services (their origins are also allowed in the Content-Security-Policy). */
@ConfigMapping(prefix = "w4r.dashboard")
public interface DashboardConfig {
    @WithDefault("http://localhost:8082")
    String caseServiceUrl();

    @WithDefault("http://localhost:8081")
    String petitionServiceUrl();

    @WithDefault("http://localhost:8083")
    String deliveryServiceUrl();
}
