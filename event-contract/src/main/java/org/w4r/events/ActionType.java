package org.w4r.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The kinds of action the 2020 report counts. */
public enum ActionType {
    SIGNATURE, MESSAGE, LETTER, EMAIL, TWEET, SMS, POSTCARD, DRAWING, AUDIO, OTHER;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ActionType of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
