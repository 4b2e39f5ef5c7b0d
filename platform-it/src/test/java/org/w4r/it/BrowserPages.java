package org.w4r.it;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** What the admin and delivery browser tests do in the page: sign in by keyboard, read the navigation, take shots. */
final class BrowserPages {
    private final TestPlatform platform;
    final ChromeDriver driver;
    final WebDriverWait wait;

    BrowserPages(TestPlatform platform, ChromeDriver driver, WebDriverWait wait) {
        this.platform = platform;
        this.driver = driver;
        this.wait = wait;
    }

    /** A fresh tab state, then the token typed and Enter pressed, as a person signs in. */
    void signIn(String principal) {
        driver.get(platform.ui.url() + "/");
        js("sessionStorage.clear();");
        driver.navigate().refresh();
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        input.sendKeys(platform.tokens.get(principal), Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("who")));
        wait.until(d -> !d.findElements(By.cssSelector("#nav a")).isEmpty());
    }

    List<String> navLabels() {
        return driver.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    }

    void open(String navLabel, String heading) {
        driver.findElement(By.linkText(navLabel)).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#view h2"), heading));
    }

    WebElement type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
        return input;
    }

    /** The button whose accessible name (aria-label) is given, as a screen reader names it. */
    WebElement button(String label) {
        return wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[aria-label=\"" + label + "\"]")));
    }

    /** The confirmation dialog's question, answered yes or no. */
    String confirm(boolean yes) {
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog.confirm[open]")));
        String question = dialog.findElement(By.tagName("p")).getText();
        dialog.findElement(By.id(yes ? "confirm-yes" : "confirm-no")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog.confirm"), 0));
        return question;
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The whole page (the window grows to its height for the shot, up to a limit), then the window as it was. */
    void screenshot(String name) {
        Dimension size = driver.manage().window().getSize();
        try {
            Files.createDirectories(DashboardBrowserIT.SCREENSHOTS);
            long height = (Long) js("return document.documentElement.scrollHeight");
            driver.manage().window().setSize(new Dimension(size.width, (int) Math.min(Math.max(height + 140, size.height), 3200)));
            File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(file.toPath(), DashboardBrowserIT.SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            throw new IllegalStateException("cannot save the screenshot " + name, e);
        } finally {
            driver.manage().window().setSize(size);
        }
    }
}
