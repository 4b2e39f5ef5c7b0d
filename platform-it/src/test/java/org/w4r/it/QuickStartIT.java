package org.w4r.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every example of docs/entity-developers.md (the fenced blocks tagged {@code sh quickstart}), in order, with
 * bash and curl as a developer would paste them, against the packaged services of {@link TestPlatform}: the base URLs
 * and an entity's demo key are set as the page's own set-up block sets them. Each example's answer must have the
 * status the page shows and every field and header it shows, so an example that stops working fails the build.
 * <p>
 * How the page writes an answer, under the command: {@code # 202 {json}} (the JSON may go on over further {@code #}
 * lines; {@code # 204 or 202} allows either), then {@code # Name: value} for headers. In the JSON, {@code "…"} is any
 * value; {@code "$NAME"} is any value the first time, kept as {@code $NAME} for the next examples, and that same value
 * every time after; fields and array items the page leaves out are not checked.
 */
class QuickStartIT {
    static final Path PAGE = TestPlatform.ROOT.resolve("docs/entity-developers.md");
    /** The entity the page's set-up block uses: one no other end-to-end test posts for. */
    static final String ENTITY = "ai-ireland";
    static final Pattern BLOCK = Pattern.compile("(?m)^```(.*)\\n([\\s\\S]*?)^```\\s*$");
    static final Pattern STATUS = Pattern.compile("# (\\d{3})((?: or \\d{3})*)\\s*(.*)");
    static final Pattern HEADER = Pattern.compile("# ([A-Za-z][A-Za-z0-9-]*): (.+)");
    static final Pattern VARIABLE = Pattern.compile("\\$([A-Z][A-Z0-9_]*)");
    static final ObjectMapper JSON = new ObjectMapper();

    /** One example: the shell lines to run, and what its answer must be. */
    record Example(int line, String script, List<Integer> statuses, String body, Map<String, String> headers) {
        String name() {
            return "line " + line + ": " + script.lines().findFirst().orElse("").trim();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleOfTheQuickStartWorksAsShown() throws Exception {
        List<Example> examples = examples(Files.readString(PAGE));
        // a broken tag must not leave the page unchecked
        assertTrue(examples.size() >= 15, "only " + examples.size() + " examples tagged 'sh quickstart' in " + PAGE);
        TestPlatform platform = TestPlatform.get();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PETITION", platform.petitions.url());
        variables.put("CASES", platform.cases.url());
        variables.put("TALLY", platform.tally.url());
        variables.put("ENTITY", ENTITY);
        variables.put("KEY", platform.tokens.get(ENTITY));
        assertNotNull(variables.get("KEY"), "no demo key for " + ENTITY);
        return examples.stream().map(example -> DynamicTest.dynamicTest(example.name(), () -> run(example, variables)));
    }

    /** Every fenced block with a curl command must be one the test runs: an example nobody runs would drift. */
    static List<Example> examples(String page) {
        List<Example> examples = new ArrayList<>();
        Matcher block = BLOCK.matcher(page);
        while (block.find()) {
            String info = block.group(1).trim();
            String text = block.group(2);
            int line = (int) page.substring(0, block.start()).lines().count() + 2;
            if (!info.equals("sh quickstart")) {
                assertFalse(text.contains("curl ") && info.startsWith("sh"),
                        "line " + line + ": a curl example not tagged 'sh quickstart' would not be checked");
                continue;
            }
            examples.add(example(line, text));
        }
        return examples;
    }

    static Example example(int line, String text) {
        List<String> lines = text.lines().toList();
        int answer = 0;
        while (answer < lines.size() && !STATUS.matcher(lines.get(answer)).matches()) {
            answer++;
        }
        assertTrue(answer < lines.size(), "line " + line + ": no '# <status> …' answer under the command");
        Matcher status = STATUS.matcher(lines.get(answer));
        assertTrue(status.matches());
        List<Integer> statuses = new ArrayList<>(List.of(Integer.parseInt(status.group(1))));
        for (String other : status.group(2).trim().split("\\s*or\\s*")) {
            if (!other.isBlank()) {
                statuses.add(Integer.parseInt(other.trim()));
            }
        }
        StringBuilder body = new StringBuilder(status.group(3));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String rest : lines.subList(answer + 1, lines.size())) {
            Matcher header = HEADER.matcher(rest);
            if (header.matches()) {
                headers.put(header.group(1), header.group(2).trim());
            } else {
                assertTrue(rest.startsWith("#"), "line " + line + ": after the answer only '#' lines: " + rest);
                body.append('\n').append(rest.substring(1));
            }
        }
        return new Example(line, String.join("\n", lines.subList(0, answer)), statuses, body.toString().trim(), headers);
    }

    static void run(Example example, Map<String, String> variables) throws IOException, InterruptedException {
        Answer answer = curl(example.script(), variables);
        assertTrue(example.statuses().contains(answer.status()),
                example.name() + ": status " + answer.status() + ", the page shows " + example.statuses() + "\n" + answer.body());
        if (!example.body().isEmpty()) {
            match(JSON.readTree(example.body()), JSON.readTree(answer.body()), "$", variables, example.name());
        }
        example.headers().forEach((name, value) -> {
            String actual = answer.headers().get(name.toLowerCase(Locale.ROOT));
            assertNotNull(actual, example.name() + ": no " + name + " header");
            assertTrue(actual.startsWith(value), example.name() + ": " + name + ": " + actual + ", the page shows " + value);
        });
    }

    /** {@code shown} is what the page shows of the answer: each field, item and value of it must be in {@code actual}. */
    static void match(JsonNode shown, JsonNode actual, String path, Map<String, String> variables, String example) {
        assertNotNull(actual, example + ": " + path + " is missing");
        assertFalse(actual.isMissingNode() || actual.isNull(), example + ": " + path + " is missing");
        if (shown.isObject()) {
            assertTrue(actual.isObject(), example + ": " + path + " is not an object: " + actual);
            for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                match(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey(), variables, example);
            }
        } else if (shown.isArray()) {
            assertTrue(actual.isArray() && actual.size() >= shown.size(), example + ": " + path + " has fewer items: " + actual);
            for (int i = 0; i < shown.size(); i++) {
                match(shown.get(i), actual.get(i), path + "[" + i + "]", variables, example);
            }
        } else if (shown.isTextual() && shown.asText().equals("…")) {
            return; // any value
        } else if (shown.isTextual() && VARIABLE.matcher(shown.asText()).matches()) {
            String name = shown.asText().substring(1);
            String kept = variables.putIfAbsent(name, actual.asText());
            if (kept != null) {
                assertEquals(kept, actual.asText(), example + ": " + path + " is not the $" + name + " shown before");
            }
        } else if (shown.isNumber()) {
            assertTrue(actual.isNumber() && shown.decimalValue().compareTo(actual.decimalValue()) == 0,
                    example + ": " + path + " is " + actual + ", the page shows " + shown);
        } else {
            assertEquals(shown, actual, example + ": " + path);
        }
    }

    record Answer(int status, String body, Map<String, String> headers) {
    }

    /**
     * Runs the example's lines with bash, with curl wrapped to keep the answer's status, headers and body apart (the
     * page's commands are as a developer pastes them), and the page's variables in the environment.
     */
    static Answer curl(String script, Map<String, String> variables) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("w4r-quickstart");
        Path body = dir.resolve("body"), headers = dir.resolve("headers"), status = dir.resolve("status");
        String wrapper = """
                set -euo pipefail
                curl() { command curl -o "$W4R_BODY" -D "$W4R_HEADERS" "$@" -sS --max-time 60 -w '%{http_code}' >> "$W4R_STATUS"; }
                """;
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", wrapper + script).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output").toFile());
        bash.environment().putAll(variables);
        bash.environment().putAll(Map.of("W4R_BODY", body.toString(), "W4R_HEADERS", headers.toString(),
                "W4R_STATUS", status.toString()));
        Process process = bash.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) { // curl's own --max-time ends it long before
            process.destroyForcibly();
            fail("the example did not finish: " + script);
        }
        String output = Files.readString(dir.resolve("output"));
        assertEquals(0, process.exitValue(), "bash failed: " + output);
        String statuses = Files.exists(status) ? Files.readString(status) : "";
        assertEquals(3, statuses.length(), "an example is exactly one curl request: " + statuses + "\n" + output);
        Map<String, String> answerHeaders = new HashMap<>();
        for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                answerHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String answer = Files.exists(body) ? Files.readString(body) : "";
        return new Answer(Integer.parseInt(statuses), answer, answerHeaders);
    }
}
