package org.w4r.it;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff UI and the embeddable counter in English, French, Spanish and Arabic, in headless Chromium against the
 * packaged platform: the language comes from the browser on a first visit and from the header's selector after, the
 * page's words are the bundle's (read from the staff UI as the page reads them, never written here), no English label
 * is left on a page in another language, numbers are formatted for the language, and Arabic is laid out right to left.
 * Screenshots of each page in each language go to target/screenshots/ (docs/img holds copies).
 */
class LanguagesBrowserIT extends BrowserSupport {
    static final List<String> LANGUAGES = List.of("en", "fr", "es", "ar");
    /** A coordinator's navigation, in the page's order, as message keys. */
    static final List<String> COORDINATOR_PAGES = List.of("nav.overview", "nav.world", "nav.report", "nav.anomalies",
            "nav.invalidations", "nav.audit", "nav.retention");

    static final Map<String, Map<String, Object>> bundles = new HashMap<>();

    @BeforeAll
    static void browser() throws Exception {
        // a total in the thousands, so each language's grouping shows, and a message for the moderators' queue
        given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON)
                .body(Map.of("caseId", "el-hiblu-3", "type", "letter", "count", 4321, "event", Map.of("name", "Journée",
                        "date", LocalDate.now(ZoneOffset.UTC).toString(), "place", "Paris")))
                .post(platform.petitions.url() + "/api/v1/offline-counts").then().statusCode(202);
        given().auth().oauth2(platform.tokens.get("ai-france")).contentType(ContentType.JSON)
                .body(Map.of("caseId", "jani-silva", "author", Map.of("name", "Amal", "country", "MA"),
                        "text", "تضامننا معكم " + UUID.randomUUID(), "language", "ar"))
                .post(platform.petitions.url() + "/api/v1/messages").then().statusCode(202);
        for (String lang : LANGUAGES) {
            bundles.put(lang, given().get(platform.ui.url() + "/i18n/" + lang + ".json").then().statusCode(200)
                    .extract().jsonPath().getMap("$"));
        }
        // a browser whose person reads French first: the page's first choice
        startBrowser(Duration.ofSeconds(20), Map.of("intl.accept_languages", "fr-FR,fr,en"), "--lang=fr-FR");
    }

    /** The bundle's text for a key (a plural's form for {@code count}, as the page's Intl.PluralRules chooses it). */
    @SuppressWarnings("unchecked")
    static String text(String lang, String key) {
        Object value = bundles.get(lang).get(key);
        assertTrue(value instanceof String, lang + " " + key + " is a plain message");
        return norm((String) value);
    }

    @SuppressWarnings("unchecked")
    static String plural(String lang, String key, long count) {
        Map<String, String> forms = (Map<String, String>) bundles.get(lang).get(key);
        String form = (String) js("return new Intl.PluralRules(arguments[0]).select(arguments[1])", lang, count);
        return norm(forms.getOrDefault(form, forms.get("other")).replace("{count}", format(lang, count)));
    }

    static String format(String lang, long n) {
        return norm((String) js("return new Intl.NumberFormat(arguments[0]).format(arguments[1])", lang, n));
    }

    /** Text as WebDriver reads it (no-break spaces, as French puts before a colon or between thousands, as spaces). */
    static String norm(String text) {
        return text == null ? null : text.replaceAll("[\\u00a0\\u202f]", " ");
    }

    static String shownText(By by) {
        return norm(driver.findElement(by).getText());
    }

    static org.openqa.selenium.support.ui.ExpectedCondition<Boolean> textIs(By by, String expected) {
        return d -> norm(expected).equals(shownText(by));
    }

    /** A fresh tab (no token), the language as the selector left it (or none: the browser's). */
    static void open(String lang) {
        freshTab();
        js("if (arguments[0]) { localStorage.setItem('w4r.language', arguments[0]); }"
                + " else { localStorage.removeItem('w4r.language'); }", lang);
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    static String attribute(String selector, String name) {
        return driver.findElement(By.cssSelector(selector)).getDomAttribute(name);
    }

    static List<String> texts(String selector) {
        return driver.findElements(By.cssSelector(selector)).stream().map(e -> norm(e.getText()).strip()).toList();
    }

    /**
     * Every heading, column header, caption, label, button, link of the navigation, option, note and aria-label shown
     * that reads exactly as an English message whose translation differs (an English word left on a page in another
     * language), or as a message key (a key no bundle holds: js/i18n.js shows the key itself).
     */
    @SuppressWarnings("unchecked")
    static List<String> englishLeftOn(String lang) {
        return (List<String>) js("""
                const [english, own] = [arguments[0], arguments[1]];
                const words = new Map();
                const add = (key, en, mine) => { if (typeof en === 'string') { if (en !== mine) { words.set(en.trim(), key); } }
                  else if (en) { Object.keys(en).forEach((f) => add(key + '.' + f, en[f], mine && (mine[f] || mine.other))); } };
                Object.keys(english).forEach((k) => add(k, english[k], own[k]));
                const seen = [...document.querySelectorAll('h1, h2, h3, th, caption, label, button, nav a, option, .note, .badge')]
                  .map((e) => e.textContent.trim()).concat([...document.querySelectorAll('[aria-label]')]
                  .map((e) => e.getAttribute('aria-label').trim()));
                const key = /^[a-z]+(\\.[\\w-]+)+$/;
                return [...new Set(seen.filter((s) => words.has(s) || key.test(s))
                  .map((s) => s + ' (' + (words.get(s) || 'a key') + ')'))];""",
                bundles.get("en"), bundles.get(lang));
    }

    @Test
    void theBrowsersLanguageIsChosenFirstAndTheSelectorSwitchesItAndIsRemembered() throws Exception {
        open(null);
        // the browser reads French first: the page is French before anyone chose
        assertEquals("fr", attribute("html", "lang"));
        assertEquals("ltr", attribute("html", "dir"));
        assertEquals(text("fr", "signIn.title"), shownText(By.id("sign-in-title")));
        assertEquals(text("fr", "header.language"), shownText(By.cssSelector("label[for=language]")));
        assertEquals(List.of("English", "Français", "Español", "العربية"), texts("#language option"));
        assertEquals(List.of(), englishLeftOn("fr"));

        new Select(driver.findElement(By.id("language"))).selectByValue("es");
        wait.until(d -> "es".equals(attribute("html", "lang")));
        wait.until(textIs(By.id("sign-in-title"), text("es", "signIn.title")));
        assertEquals("es", js("return localStorage.getItem('w4r.language')"));
        driver.navigate().refresh();
        wait.until(textIs(By.id("sign-in-title"), text("es", "signIn.title")));
        assertEquals("es", attribute("html", "lang"), "the choice is remembered over the browser's");

        // switching while signed in keeps the person signed in and on the page, now in Arabic, right to left
        signIn("demo-coordinator");
        driver.get(platform.ui.url() + "/#/report");
        wait.until(textIs(By.cssSelector("#view h2"), text("es", "report.title")));
        new Select(driver.findElement(By.id("language"))).selectByValue("ar");
        wait.until(d -> "ar".equals(attribute("html", "lang")));
        wait.until(textIs(By.cssSelector("#view h2"), text("ar", "report.title")));
        assertEquals("rtl", attribute("html", "dir"));
        assertEquals(COORDINATOR_PAGES.stream().map(key -> text("ar", key)).toList(), texts("#nav a"));
        open("en");
        assertEquals(text("en", "signIn.title"), shownText(By.id("sign-in-title")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "fr", "es", "ar"})
    void theDashboardInEachLanguage(String lang) throws Exception {
        open(lang);
        assertEquals(lang, attribute("html", "lang"));
        assertEquals("ar".equals(lang) ? "rtl" : "ltr", attribute("html", "dir"));
        signIn("demo-coordinator");
        wait.until(textIs(By.id("live-status"), text(lang, "live.live")));
        assertEquals(COORDINATOR_PAGES.stream().map(key -> text(lang, key)).toList(), texts("#nav a"));
        assertEquals(text(lang, "overview.title"), shownText(By.cssSelector("#view h2")));
        assertEquals(List.of(text(lang, "col.case"), text(lang, "col.actions"), text(lang, "col.goal"), text(lang, "col.progress"),
                text(lang, "col.delivered"), text(lang, "col.outstanding"), text(lang, "col.hold")), texts("#cases-table thead th"));
        assertEquals(text(lang, "case.none"), shownText(By.cssSelector("#cases-table tbody tr:last-child th")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-hold-case='paing-phyo-min']")));
        assertTrue(shownText(By.cssSelector("[data-hold-case='paing-phyo-min']"))
                .startsWith(text(lang, "banner.hold")));

        // the total the API reports, as the language writes numbers; the words around it agree with it
        String coordinator = platform.tokens.get("demo-coordinator");
        wait.until(d -> {
            long total = given().auth().oauth2(coordinator).get(platform.tally.url() + "/api/v1/totals").then()
                    .extract().jsonPath().getLong("total");
            return format(lang, total).equals(shownText(By.id("global-total")));
        });
        long total = given().auth().oauth2(coordinator).get(platform.tally.url() + "/api/v1/totals").then()
                .extract().jsonPath().getLong("total");
        assertTrue(total >= 4321, "a total in the thousands: " + total);
        if (List.of("fr", "es").contains(lang)) { // Arabic (ar) writes 4,322 as English does in CLDR, ar-EG would not
            assertNotEquals(format("en", total), shownText(By.id("global-total")), lang + " groups otherwise");
        }
        String headline = plural(lang, "overview.headline", total).replace("{total}", format(lang, total))
                .replace("{campaign}", "w4r-demo");
        wait.until(textIs(By.cssSelector(".headline"), headline));
        // the peak day, written as the language writes dates (the day itself in <time datetime>)
        WebElement peak = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#peak-day time")));
        assertEquals(js("return new Intl.DateTimeFormat(arguments[0], { dateStyle: 'medium', timeZone: 'UTC' })"
                + ".format(new Date(arguments[1] + 'T00:00:00Z'))", lang, peak.getDomAttribute("datetime")),
                peak.getDomProperty("textContent")); // as written: WebDriver's text drops Arabic's direction marks

        if ("ar".equals(lang)) {
            // right to left: the first link of the navigation is right of the second, the first column right of the next,
            // and the title starts at the right of the header
            assertTrue((Boolean) js("""
                    const r = (s) => document.querySelector(s).getBoundingClientRect();
                    return r('#nav li:nth-child(1) a').left > r('#nav li:nth-child(2) a').left
                      && r('#cases-table thead th:nth-child(1)').left > r('#cases-table thead th:nth-child(2)').left
                      && r('header.top h1').right > window.innerWidth - 100;"""), "laid out right to left");
        } else {
            assertTrue((Boolean) js("""
                    const r = (s) => document.querySelector(s).getBoundingClientRect();
                    return r('#nav li:nth-child(1) a').left < r('#nav li:nth-child(2) a').left;"""));
        }
        assertEquals(List.of(), englishLeftOn(lang), "English left on the overview in " + lang);
        assertEquals(List.of(), js("return window.__cspViolations"));
        screenshot("dashboard-" + lang);

        // the delivery team's page: its form, its table, a held case named as held
        open(lang);
        signIn("demo-delivery");
        driver.findElement(By.linkText(text(lang, "nav.deliveries"))).click();
        wait.until(textIs(By.cssSelector("#view h2"), text(lang, "deliveries.title")));
        wait.until(d -> d.findElements(By.cssSelector("#plan-case option")).size() == 10);
        assertEquals(text(lang, "deliveries.plan"), shownText(By.cssSelector("#plan-form button[type=submit]")));
        assertEquals(text(lang, "recipient.embassy"), shownText(By.cssSelector("#plan-recipient-kind option[value=embassy]")));
        String name = given().auth().oauth2(platform.tokens.get("demo-delivery")).get(platform.delivery.url() + "/api/v1/cases")
                .then().statusCode(200).extract().jsonPath().getString("find { it.caseId == 'paing-phyo-min' }.name");
        String held = name == null ? "paing-phyo-min" : name;
        assertEquals(text(lang, "deliveries.optionHeld").replace("{name}", held),
                shownText(By.cssSelector("#plan-case option[value='paing-phyo-min']")));
        assertEquals(text(lang, "col.plannedFor"), shownText(By.cssSelector("#deliveries-table thead th")));
        assertEquals(List.of(), englishLeftOn(lang), "English left on the deliveries page in " + lang);
        screenshot("deliveries-" + lang);

        // the moderators' queue: its count in words that agree with it, its buttons
        open(lang);
        signIn("demo-moderator");
        driver.findElement(By.linkText(text(lang, "nav.moderation"))).click();
        wait.until(textIs(By.cssSelector("#view h2"), text(lang, "nav.moderation")));
        wait.until(d -> !d.findElements(By.cssSelector("#moderation-queue li")).isEmpty());
        // the queue of the campaign shown (the demo's, current): the replay's campaign has messages of its own
        int pending = given().auth().oauth2(platform.tokens.get("demo-moderator"))
                .get(platform.petitions.url() + "/api/v1/messages?status=pending&limit=1000&campaignId=w4r-demo").then()
                .statusCode(200)
                .extract().jsonPath().getList("$").size();
        wait.until(textIs(By.cssSelector("#view > p.note"), plural(lang, "moderation.waiting", pending)));
        assertEquals(text(lang, "moderation.approve"), shownText(By.cssSelector("#moderation-queue button.approve")));
        assertEquals(text(lang, "moderation.reject"), shownText(By.cssSelector("#moderation-queue button.reject")));
        assertEquals(List.of(), englishLeftOn(lang), "English left on the moderation queue in " + lang);
        screenshot("moderation-" + lang);
    }

    /** The counter's word for "actions" in each language, by plural category, written out here: not read
     * from the component's bundle. */
    static final Map<String, Map<String, String>> COUNTER_WORDS = Map.of(
            "en", Map.of("one", "action", "other", "actions"),
            "fr", Map.of("one", "action", "many", "d’actions", "other", "actions"),
            "es", Map.of("one", "acción", "many", "de acciones", "other", "acciones"),
            "ar", Map.of("zero", "تحرّك", "one", "تحرّك", "two", "تحرّكان", "few", "تحرّكات", "many", "تحرّكًا",
                    "other", "تحرّك"));
    /**
     * CLDR's plural category of a whole number, for the four languages the counter speaks: Arabic by the last two
     * digits, French and Spanish "many" for whole millions, English one/other.
     */
    static String pluralCategory(String lang, long n) {
        return switch (lang) {
            case "ar" -> n == 0 ? "zero" : n == 1 ? "one" : n == 2 ? "two" : n % 100 >= 3 && n % 100 <= 10 ? "few"
                    : n % 100 >= 11 ? "many" : "other";
            case "fr" -> n <= 1 ? "one" : n % 1_000_000 == 0 ? "many" : "other";
            case "es" -> n == 1 ? "one" : n % 1_000_000 == 0 ? "many" : "other";
            default -> n == 1 ? "one" : "other";
        };
    }

    static final Map<String, String> COUNTER_GOAL = Map.of("en", "Goal: {goal}", "fr", "Objectif\u00a0: {goal}",
            "es", "Meta: {goal}", "ar", "الهدف: {goal}");

    @Test
    void theCounterSpeaksEachLanguage() throws Exception {
        String counter = platform.tally.url() + "/public/v1/cases/el-hiblu-3/counter";
        wait.until(d -> given().get(counter).then().extract().<Number>path("count").longValue() >= 4321);
        driver.get(platform.tally.url() + "/public/v1/counter-demo.html");
        // two more: one with a regional tag, one that takes the language of its (lang-less) container: the browser's
        js("""
                const regional = document.createElement('w4r-counter');
                regional.setAttribute('case', 'el-hiblu-3');
                regional.setAttribute('lang', 'es-MX');
                document.body.appendChild(regional);
                document.documentElement.removeAttribute('lang');
                const plain = document.createElement('w4r-counter');
                plain.setAttribute('case', 'el-hiblu-3');
                plain.id = 'browser-language';
                document.body.appendChild(plain);""");
        long count = given().get(counter).then().extract().<Number>path("count").longValue();
        long goal = given().get(counter).then().extract().<Number>path("goal").longValue();
        // {the language whose words it shows, the tag it formats numbers by, the element}
        for (String[] element : new String[][] {{"en", "en", "w4r-counter[case='el-hiblu-3'][lang=en]"},
                {"fr", "fr", "w4r-counter[case='el-hiblu-3'][lang=fr]"}, {"es", "es", "w4r-counter[case='el-hiblu-3'][lang=es]"},
                {"ar", "ar", "w4r-counter[case='el-hiblu-3'][lang=ar]"}, {"es", "es-MX", "w4r-counter[lang='es-MX']"},
                {"fr", "fr-FR", "#browser-language"}}) {
            String lang = element[0];
            String tag = element[1];
            String selector = element[2];
            // what it should say: the numbers as the browser's Intl formats them; the plural category and the words
            // worked out here (read from the component's bundle and the browser's PluralRules, as the component reads
            // them, a wrong word or a wrong rule was what the test expected)
            @SuppressWarnings("unchecked")
            Map<String, Object> intl = (Map<String, Object>) js("""
                    const n = new Intl.NumberFormat(arguments[2]);
                    return { count: n.format(arguments[0]), goal: n.format(arguments[1]) };""", count, goal, tag);
            String category = pluralCategory(lang, count);
            wait.until(d -> intl.get("count").equals(shown(selector, ".n")));
            assertEquals(COUNTER_WORDS.get(lang).get(category), shown(selector, ".t"), selector + ", " + category);
            assertEquals(COUNTER_GOAL.get(lang).replace("{goal}", (String) intl.get("goal")), shown(selector, ".g"), selector);
            assertEquals("ar".equals(lang) ? "rtl" : "ltr", js("return document.querySelector(arguments[0]).shadowRoot"
                    + ".querySelector('div').getAttribute('dir')", selector), selector);
        }
        assertNotEquals(shown("w4r-counter[case='el-hiblu-3'][lang=en]", ".g"), shown("w4r-counter[case='el-hiblu-3'][lang=ar]", ".g"));
        // Arabic reads right to left inside the component: the number is right of its word
        assertTrue((Boolean) js("""
                const root = document.querySelector("w4r-counter[case='el-hiblu-3'][lang=ar]").shadowRoot;
                return root.querySelector('.n').getBoundingClientRect().left > root.querySelector('.t').getBoundingClientRect().left;"""));
        screenshot("counter-languages");
    }

    static String shown(String selector, String part) {
        return (String) js("""
                const e = document.querySelector(arguments[0]);
                const n = e && e.shadowRoot && e.shadowRoot.querySelector(arguments[1]);
                return n ? n.textContent : null;""", selector, part);
    }
}
