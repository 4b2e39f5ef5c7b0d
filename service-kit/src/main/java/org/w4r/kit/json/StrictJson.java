package org.w4r.kit.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * How every service reads a JSON request body: strictly, so that what the caller got wrong is a 400 here and never
 * reaches PostgreSQL as a 500 or 503.
 * <ul>
 * <li>a key given twice is refused (which one would count?);</li>
 * <li>a fraction for an integer is refused, not truncated (a count of 1.5 is a mistake, not 1), and a string for a
 * number or a number for a flag is refused, not converted;</li>
 * <li>anything after the JSON value is refused;</li>
 * <li>a string with a control character (other than tab, newline and carriage return) or half a surrogate pair
 * is refused wherever it appears: PostgreSQL refuses NUL in text, and a NUL in a signer's name once failed a whole
 * group commit with a 503. Fields that allow no line breaks (names) say so in their own validation.</li>
 * </ul>
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // "12" is not a count and 1 is not a yes: a number, a flag or a text must come as itself
        mapper.configure(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        // and a number or a flag is not a text: {"reason":1e30} once cancelled a delivery plan "because 1.0E30"
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(new SimpleModule("w4r-strict-strings").addDeserializer(String.class, new CleanString()));
    }

    /** The first character a text field may never hold, or -1. */
    public static int forbiddenChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    static final class CleanString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && forbiddenChar(value) >= 0) {
                return (String) ctxt.handleWeirdStringValue(String.class, value,
                        "control characters and broken surrogates are not allowed");
            }
            return value;
        }
    }
}
