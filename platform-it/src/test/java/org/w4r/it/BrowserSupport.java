package org.w4r.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every browser test shares: Debian's headless Chromium and chromedriver against the packaged platform (nothing
 * is looked up or downloaded; a fresh profile), started by the test class once its own set-up has posted what the
 * pages will show, and quit after it; each test begins on a fresh tab at the sign-in form; and what the tests do in
 * the staff UI: sign in by keyboard, read the navigation, fill a form, answer a confirmation, run a script, take a
 * shot of the whole page.
 */
abstract class BrowserSupport extends PlatformSupport {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = TestPlatform.ROOT.resolve("platform-it/target/screenshots");

    static ChromeDriver driver;
    static WebDriverWait wait;

    static void startBrowser(Duration patience) throws Exception {
        startBrowser(patience, Map.of());
    }

    /**
     * The class's browser, whose waits give up after {@code patience}; {@code prefs} and {@code arguments} add to
     * its defaults.
     */
    static void startBrowser(Duration patience, Map<String, Object> prefs, String... arguments) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver"
                        + " (.ci/run installs them)");
        // never let Selenium Manager look for (or download) a browser or driver
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        if (!prefs.isEmpty()) {
            options.setExperimentalOption("prefs", prefs);
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("w4r-chromium"), "--window-size=1280,1600");
        options.addArguments(arguments);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
        // polled every 50 ms, not Selenium's 500: a condition met just after a look otherwise cost half a second,
        // and the browser tests make hundreds of such waits (a look is one call to chromedriver, milliseconds)
        wait = new WebDriverWait(driver, patience, Duration.ofMillis(50));
        // live tables are re-drawn while a condition reads them: look again rather than fail
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    static void quitBrowser() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @BeforeEach
    void startOnAFreshTab() {
        freshTab();
    }

    /** The staff UI in the window's first size, nobody signed in: the sign-in form shown. */
    static void freshTab() {
        driver.manage().window().setSize(new Dimension(1280, 1600));
        driver.get(platform.ui.url() + "/");
        js("sessionStorage.clear();");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    /** Keyboard only, as a person signs in: the token typed into the form shown and Enter pressed. */
    static void signIn(String principal) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        input.clear();
        input.sendKeys(platform.tokens.get(principal), Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("who")));
        wait.until(d -> !d.findElements(By.cssSelector("#nav a")).isEmpty());
    }

    static List<String> navLabels() {
        wait.until(d -> !d.findElements(By.cssSelector("#nav a")).isEmpty());
        return driver.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    }

    static void open(String navLabel, String heading) {
        driver.findElement(By.linkText(navLabel)).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), heading));
    }

    static WebElement type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
        return input;
    }

    /** The button whose accessible name (aria-label) is given, as a screen reader names it. */
    static WebElement button(String label) {
        return wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label=\"" + label + "\"]")));
    }

    /** The confirmation dialog's question, answered yes or no. */
    static String confirm(boolean yes) {
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm[open]")));
        String question = dialog.findElement(By.tagName("p")).getText();
        dialog.findElement(By.id(yes ? "confirm-yes" : "confirm-no")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog.confirm"), 0));
        return question;
    }

    static Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** The whole page (the window grows to its height for the shot, up to a limit), then the window as it was. */
    static void screenshot(String name) {
        Dimension size = driver.manage().window().getSize();
        try {
            Files.createDirectories(SCREENSHOTS);
            long height = (Long) js("return document.documentElement.scrollHeight");
            driver.manage().window().setSize(new Dimension(size.width, (int) Math.min(Math.max(height + 140, size.height), 3200)));
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            throw new IllegalStateException("cannot save the screenshot " + name, e);
        } finally {
            driver.manage().window().setSize(size);
        }
    }
}
