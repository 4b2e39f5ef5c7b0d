package org.w4r.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a service's database session asks of the server's side (the kit's {@code options}), read on the session as
 * PostgreSQL shows them: the settings that end a session whose peer fell silent.
 */
public final class SessionSettings {
    static final List<String> NAMES = List.of("idle_in_transaction_session_timeout", "tcp_keepalives_idle",
            "tcp_keepalives_interval", "tcp_keepalives_count", "tcp_user_timeout");

    private SessionSettings() {
    }

    /** Each setting's value as {@code SHOW} prints it ("1min", "30"), on {@code session}, a TCP connection. */
    public static Map<String, String> of(Connection session) throws SQLException {
        Map<String, String> settings = new TreeMap<>();
        try (PreparedStatement show = session.prepareStatement("select current_setting(?)")) {
            for (String name : NAMES) {
                show.setString(1, name);
                try (ResultSet rs = show.executeQuery()) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
        }
        return settings;
    }
}
