package org.w4r.kit.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A request body as every service reads it: the kit's customizer on a plain mapper. */
class StrictJsonTest {
    record Signature(String name, int count, long total, boolean publicName, List<String> caseIds) {
    }

    private static final ObjectMapper MAPPER = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        return mapper;
    }

    private static Signature read(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, Signature.class);
    }

    @Test
    void aWellFormedBodyIsRead() throws Exception {
        Signature s = read("""
                {"name":"Line one\\nLine\\ttwo \\ud83d\\ude00","count":2,"total":9007199254740993,"publicName":true,
                 "caseIds":["el-hiblu-3"]}""");
        assertEquals(new Signature("Line one\nLine\ttwo \uD83D\uDE00", 2, 9007199254740993L, true, List.of("el-hiblu-3")), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"count\":1,\"count\":2}", // which one would count?
            "{\"name\":\"a\",\"name\":\"b\"}",
            "{\"count\":1.5}", // a fraction is a mistake, not 1
            "{\"count\":1e2}",
            "{\"total\":2.0}",
            "{\"count\":\"12\"}", // a number must come as a number
            "{\"publicName\":\"true\"}",
            "{\"publicName\":1}",
            "{\"name\":1}", // and a text as a text
            "{\"name\":1e30}",
            "{\"name\":true}",
            "{\"caseIds\":[1]}",
            "{\"count\":1} {\"count\":2}", // anything after the value
            "{\"count\":1}]",
            "{\"count\":1} x",
    })
    void whatTheCallerGotWrongIsRefused(String body) {
        assertThrows(JsonProcessingException.class, () -> read(body), body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u0007", "\\u001b", "\\u007f", "\\ud800", "\\udc00", "\\ude00\\ud83d",
            "x\\ud83d"})
    void controlCharactersAndBrokenSurrogatesAreRefusedWhereverTheTextIs(String escaped) {
        assertThrows(JsonProcessingException.class, () -> read("{\"name\":\"a" + escaped + "b\"}"), escaped);
        assertThrows(JsonProcessingException.class, () -> read("{\"caseIds\":[\"ok\",\"" + escaped + "\"]}"), escaped);
    }

    @Test
    void forbiddenCharSaysWhere() {
        assertEquals(-1, StrictJson.forbiddenChar("tab\tnewline\nreturn\r \uD83D\uDE00"));
        assertEquals(1, StrictJson.forbiddenChar("a\u0000"));
        assertEquals(2, StrictJson.forbiddenChar("ab\uD800c"));
        assertEquals(0, StrictJson.forbiddenChar("\uDE00\uD83D"));
        assertEquals(3, StrictJson.forbiddenChar("abc\uD83D"));
    }
}
