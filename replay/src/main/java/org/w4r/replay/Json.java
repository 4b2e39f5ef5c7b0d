package org.w4r.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One shared mapper: request bodies are built as trees and answers read as trees. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text == null || text.isEmpty() ? "null" : text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + (text.length() > 300 ? text.substring(0, 300) + "…" : text), e);
        }
    }
}
