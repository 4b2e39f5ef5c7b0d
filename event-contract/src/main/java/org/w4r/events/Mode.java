package org.w4r.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Online actions arrive one by one; offline ones as counts reported after an event. */
public enum Mode {
    ONLINE, OFFLINE;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Mode of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
