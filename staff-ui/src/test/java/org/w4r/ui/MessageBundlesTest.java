package org.w4r.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page's words are all in the message bundles (i18n/&lt;language&gt;.json), and every bundle says everything the
 * English one says: the same keys, the same {placeholders}, a plural wherever English has one. A key missing from a
 * bundle would show in English (js/i18n.js falls back), so it is caught here first. Which plural forms each language
 * needs is checked against the browser's own rules in src/test/js/i18n.test.mjs.
 */
class MessageBundlesTest {
    static final Path RESOURCES = Path.of("src/main/resources/META-INF/resources");
    static final List<String> LANGUAGES = List.of("en", "fr", "es", "ar");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    static Map<String, JsonNode> bundle(String language) throws IOException {
        JsonNode root = new ObjectMapper().readTree(RESOURCES.resolve("i18n/" + language + ".json").toFile());
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
        return entries;
    }

    static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyBundleHasExactlyTheEnglishKeysAndPlaceholders() throws IOException {
        Map<String, JsonNode> english = bundle("en");
        assertTrue(english.size() > 100, "the English bundle is read");
        for (String language : LANGUAGES.subList(1, LANGUAGES.size())) {
            Map<String, JsonNode> other = bundle(language);
            Set<String> missing = new TreeSet<>(english.keySet());
            missing.removeAll(other.keySet());
            Set<String> extra = new TreeSet<>(other.keySet());
            extra.removeAll(english.keySet());
            assertEquals(Set.of(), missing, language + " lacks these keys");
            assertEquals(Set.of(), extra, language + " has keys English does not");
            for (Map.Entry<String, JsonNode> entry : english.entrySet()) {
                String key = entry.getKey();
                JsonNode en = entry.getValue();
                JsonNode own = other.get(key);
                assertEquals(en.isObject(), own.isObject(), language + " " + key + ": plural in one, not the other");
                if (en.isObject()) {
                    assertTrue(own.has("other"), language + " " + key + " has no 'other' form");
                    Set<String> names = placeholders(en.get("other").asText());
                    assertEquals(names, placeholders(own.get("other").asText()), language + " " + key + " (other)");
                    // a form for one or two may say the number in words ("un", "واحد") but names nothing English does not
                    own.fields().forEachRemaining(form -> assertTrue(names.containsAll(placeholders(form.getValue().asText())),
                            language + " " + key + " (" + form.getKey() + ") names " + placeholders(form.getValue().asText())));
                } else {
                    assertTrue(own.isTextual() && !own.asText().isBlank(), language + " " + key + " is empty");
                    assertEquals(placeholders(en.asText()), placeholders(own.asText()), language + " " + key);
                }
            }
        }
    }

    /** Keys the code names literally: t('…') (also in a ternary), data-i18n="…", data-i18n-aria-label="…". */
    @Test
    void everyKeyTheCodeNamesIsInTheEnglishBundle() throws IOException {
        Set<String> english = bundle("en").keySet();
        Pattern call = Pattern.compile("\\bt\\(\\s*(?:[\\w.]+\\s*\\?\\s*)?'([\\w.-]+)'(?:\\s*:\\s*'([\\w.-]+)')?");
        Pattern attribute = Pattern.compile("data-i18n(?:-aria-label)?=\"([\\w.-]+)\"");
        Set<String> named = new TreeSet<>();
        for (Path file : sources()) {
            String text = Files.readString(file);
            Matcher m = call.matcher(text);
            while (m.find()) {
                named.add(m.group(1));
                if (m.group(2) != null) {
                    named.add(m.group(2));
                }
            }
        }
        Matcher m = attribute.matcher(Files.readString(RESOURCES.resolve("index.html")));
        while (m.find()) {
            named.add(m.group(1));
        }
        named.removeIf(key -> key.endsWith(".")); // a prefix: t('nav.' + route), checked below by its routes
        assertTrue(named.size() > 200, "the keys are found: " + named.size());
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(english);
        assertEquals(Set.of(), unknown, "keys named in the code and missing from en.json");
        for (String route : List.of("overview", "report", "anomalies", "invalidations", "audit", "moderation", "holds", "deliveries")) {
            assertTrue(english.contains("nav." + route), route);
        }
    }

    /**
     * A reasonable static check that the scripts hold no words of their own: a string literal that reads as words (two
     * words, or a capitalised word) or that is given as a visible text (text:, aria-label, placeholder, label, caption,
     * textContent =) is a defect, wherever it is not a CSS class, a selector, or a key.
     */
    @Test
    void noScriptHoldsAUserVisibleStringOutsideTheBundles() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : sources()) {
            String name = file.getFileName().toString();
            // api.js and oidc.js speak HTTP (Bearer, Content-Type; their errors are keys, see oidc.test.mjs), i18n.js
            // writes to the developer's console: every other script draws the page
            if (!List.of("api.js", "oidc.js", "i18n.js").contains(name)) {
                found.addAll(visibleLiterals(name, Files.readString(file)));
            }
        }
        assertEquals(List.of(), found);
    }

    /** The check finds what it should: a label, a sentence, a capitalised word, a visible lower-case word. */
    @Test
    void theStaticCheckCatchesWordsInCode() {
        String planted = """
                const a = el('h2', { text: 'Campaign overview' });
                const b = el('button', { 'aria-label': 'download' });
                status.textContent = 'live';
                const c = 'Refresh';
                const d = error('Cannot read the queue: ' + e.message);
                const ok = el('div', { class: 'card hero', id: 'x' }, t('overview.title'));
                view.querySelectorAll('tbody tr'); // a comment with Words In It
                """;
        assertEquals(5, visibleLiterals("planted.js", planted).size(), visibleLiterals("planted.js", planted).toString());
    }

    @Test
    void thePageItselfHoldsNoWordsOutsideTheBundles() throws IOException {
        String html = Files.readString(RESOURCES.resolve("index.html"))
                .replaceAll("(?s)<!--.*?-->", "").replaceAll("(?s)<script.*?</script>", "");
        String text = html.replaceAll("<[^>]+>", " ").replaceAll("&\\w+;", " ").strip();
        assertEquals("", text, "words in index.html outside data-i18n elements");
        assertFalse(Pattern.compile("\\s(aria-label|placeholder|title)=").matcher(html).find(),
                "an attribute with words in index.html (use data-i18n-aria-label)");
    }

    static final Pattern LITERAL = Pattern.compile("'((?:[^'\\\\\\n]|\\\\.)*)'|\"((?:[^\"\\\\\\n]|\\\\.)*)\"|`((?:[^`\\\\]|\\\\.)*)`");
    static final Pattern WORDS = Pattern.compile("\\p{L}{2,}\\s+\\p{L}{2,}|^\\p{Lu}\\p{Ll}+");
    static final Pattern VISIBLE_PROPERTY = Pattern.compile(
            "(?:\\btext|'aria-label'|\\bplaceholder|\\blabel|\\bcaption|\\btitle)\\s*:\\s*$|\\.textContent\\s*=\\s*$");
    static final Pattern NOT_WORDS = Pattern.compile(
            "(?:\\bclass|className)\\s*:\\s*(?:[^,{}]*\\?\\s*)?$|querySelector(?:All)?\\(\\s*$|\\bt\\(\\s*(?:[\\w.]+\\s*\\?\\s*)?$");

    static List<String> visibleLiterals(String name, String source) {
        // comments say why, in English; they are not shown
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)(^|\\s)//.*$", "$1");
        List<String> found = new ArrayList<>();
        Matcher m = LITERAL.matcher(code);
        while (m.find()) {
            String literal = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String before = code.substring(Math.max(0, m.start() - 60), m.start());
            if (NOT_WORDS.matcher(before).find() || literal.isBlank() || !literal.matches("(?s).*\\p{L}.*")) {
                continue;
            }
            if (WORDS.matcher(literal).find() || VISIBLE_PROPERTY.matcher(before).find()) {
                found.add(name + ": '" + literal + "'");
            }
        }
        return found;
    }

    static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("js"))) {
            List<Path> scripts = files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
            Set<String> names = new HashSet<>();
            scripts.forEach(p -> names.add(p.getFileName().toString()));
            assertTrue(names.containsAll(List.of("app.js", "i18n.js", "overview.js", "deliveries.js", "moderation.js")));
            return scripts;
        }
    }
}
