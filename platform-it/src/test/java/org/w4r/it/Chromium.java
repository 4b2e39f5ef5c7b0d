package org.w4r.it;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debian's headless Chromium and chromedriver for a browser test: nothing is looked up or downloaded; a fresh profile. */
final class Chromium {
    private Chromium() {
    }

    static ChromeDriver start() throws IOException {
        assertTrue(Files.isExecutable(DashboardBrowserIT.CHROMIUM) && Files.isExecutable(DashboardBrowserIT.CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        // never let Selenium Manager look for (or download) a browser or driver
        System.setProperty("webdriver.chrome.driver", DashboardBrowserIT.CHROMEDRIVER.toString());
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions().setBinary(DashboardBrowserIT.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("w4r-chromium"), "--window-size=1280,1600");
        return new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(DashboardBrowserIT.CHROMEDRIVER.toFile()).build(), options);
    }
}
