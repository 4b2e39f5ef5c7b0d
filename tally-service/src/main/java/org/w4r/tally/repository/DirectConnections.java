package org.w4r.tally.repository;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * Connections to tally's database opened with the driver, outside the pool, for a session that must be its own: the
 * live push's LISTEN (held for the life of the instance) and the reconcile's advisory lock (ended by closing the
 * session, whatever happened). A pooled connection held that long is a slot the requests never get back.
 */
@ApplicationScoped
public class DirectConnections {
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    /** The pool's session settings (the kit's defaults): the server ends a session whose peer has gone silent. */
    @ConfigProperty(name = "quarkus.datasource.jdbc.additional-jdbc-properties.options")
    Optional<String> options;

    /** A new session, named {@code applicationName} in pg_stat_activity so an operator sees whose it is. */
    public Connection open(String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "5");
        // a server that accepts and never answers is given up on, as by the pool (the kit's defaults); no socket
        // timeout here: the LISTEN session waits for notifications, and a reconcile's read may be long
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        // and from the server's side: a reconcile's session lock held by an instance whose host died is released
        // once the server finds the peer gone (about a minute), not after the kernel's two hours
        options.ifPresent(o -> properties.setProperty("options", o));
        // as the datasource: the driver's error text can quote a row, and it must never reach a log
        properties.setProperty("logServerErrorDetail", "false");
        return DriverManager.getConnection(url, properties);
    }
}
