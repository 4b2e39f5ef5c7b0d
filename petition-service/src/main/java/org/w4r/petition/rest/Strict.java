package org.w4r.petition.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * JSON readers that take a value only as its own type. Jackson's defaults would turn {@code 1.9} into a count of 1,
 * {@code "12"} into 12 and {@code 1} into {@code true}: a caller's mistake silently counted.
 */
public final class Strict {
    private Strict() {
    }

    /** A count or delta: an integer token that fits a long; a fraction, exponent, string or huge number is a 400. */
    public static final class WholeNumber extends StdDeserializer<Long> {
        public WholeNumber() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return p.getLongValue();
            }
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
    }

    /** A yes/no: {@code true} or {@code false}, never a number or a string. */
    public static final class Flag extends StdDeserializer<Boolean> {
        public Flag() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> (Boolean) ctxt.handleUnexpectedToken(Boolean.class, p);
            };
        }
    }
}
