package org.uga.api.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.uga.store.ObjectStore;

/**
 * End to end in headless Chromium (Debian {@code chromium} + {@code chromium-driver}; skipped when absent): an
 * annotator logs in, opens her patch, paints on it, submits with Enter, and sees the campaign advance to cycle 2.
 */
@QuarkusTest
class BrowserE2ETest {

    static final String ID = "ui-flow";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";

    @Inject
    WorkflowClient client;

    @Inject
    ObjectStore store;

    @TestHTTPResource("/")
    URL root;

    @Test
    void annotatorPaintsSubmitsAndSeesTheCampaignAdvance() throws Exception {
        assumeTrue(new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute(),
                "headless browser test needs Debian chromium + chromium-driver (apt-get install -y chromium chromium-driver)");
        JsonPath status = Fixture.startAndAwaitAnnotating(ID, List.of("alice"), 1, 2);
        String patchId = (String) Fixture.openPatchesOf(status, "alice").get(0).get("patchId");

        Path profile = Files.createTempDirectory("uga-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get(root.toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys("alice");
            driver.findElement(By.id("login-password")).sendKeys("alice");
            driver.findElement(By.id("login-submit")).click();

            By row = By.cssSelector("tr.queue-item[data-patch='" + patchId + "']");
            wait.until(ExpectedConditions.elementToBeClickable(row)).click();
            WebElement stage = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#stage[data-ready='true']")));

            // Erase everything with a big eraser stroke, then paint a stroke with the brush; undo/redo on the way.
            new Actions(driver).sendKeys("e").perform();
            ((JavascriptExecutor) driver).executeScript("document.getElementById('brush-size').value = 80;"
                    + "document.getElementById('brush-size').dispatchEvent(new Event('input'));");
            int w = stage.getSize().getWidth(), h = stage.getSize().getHeight();
            Actions erase = new Actions(driver).moveToElement(stage, -w / 2 + 2, -h / 2 + 2).clickAndHold();
            for (int i = 0; i <= 8; i++) {
                erase.moveToElement(stage, -w / 2 + 2 + (w - 4) * i / 8, (i % 2 == 0 ? -1 : 1) * (h / 2 - 2));
            }
            erase.release().perform();
            new Actions(driver).sendKeys("b").perform();
            ((JavascriptExecutor) driver).executeScript("document.getElementById('brush-size').value = 3;"
                    + "document.getElementById('brush-size').dispatchEvent(new Event('input'));");
            new Actions(driver).moveToElement(stage, -w / 4, 0).clickAndHold().moveToElement(stage, w / 4, 0).release().perform();
            new Actions(driver).keyDown(Keys.CONTROL).sendKeys("z").keyUp(Keys.CONTROL).perform();
            new Actions(driver).keyDown(Keys.CONTROL).sendKeys("y").keyUp(Keys.CONTROL).perform();
            new Actions(driver).sendKeys("h").perform();
            String info = driver.findElement(By.id("patch-info")).getText();
            assertTrue(info.contains("changed"), info);

            stage.sendKeys(Keys.ENTER);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Submitted " + patchId));

            // The stored mask is what was painted: a thin horizontal stroke across the middle, nothing else.
            byte[] mask = Fixture.as("coord").get("/api/campaigns/" + ID + "/patches/" + patchId + "/annotation")
                    .then().statusCode(200).extract().asByteArray();
            java.awt.image.BufferedImage m = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(mask));
            int mid = m.getHeight() / 2;
            assertEquals(255, m.getRaster().getSample(m.getWidth() / 2, mid, 0), "painted stroke must be foreground");
            assertEquals(0, m.getRaster().getSample(1, 1, 0), "erased corner must be background");

            // The campaign advances: fine-tune + validation, then cycle 2 puts a new patch into alice's queue.
            long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            boolean advanced = false;
            while (!advanced && System.nanoTime() < end) {
                driver.navigate().to(root + "#queue");
                driver.navigate().refresh();
                Thread.sleep(1000);
                advanced = !driver.findElements(By.xpath("//tr[contains(@class,'queue-item')]/td[2][text()='2']")).isEmpty();
            }
            assertTrue(advanced, "alice's queue never showed a cycle-2 patch; status: " + Fixture.status(ID).prettify());
            JsonPath after = Fixture.status(ID);
            assertEquals(2, after.getInt("cycle"));
            assertEquals(1, after.getList("cycles").size());
            assertTrue(((Map<?, ?>) after.getList("cycles").get(0)).get("annotationIds").toString().length() > 2);

            // The coordinator's campaign page offers the cycle's annotation exports; the download carries a GeoJSON.
            ((JavascriptExecutor) driver).executeScript("sessionStorage.clear();");
            driver.navigate().to(root.toString());
            driver.navigate().refresh();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys("coord");
            driver.findElement(By.id("login-password")).sendKeys("coord");
            driver.findElement(By.id("login-submit")).click();
            driver.navigate().to(root + "#campaign/" + ID);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[data-export='1-geojson']")));
            Object size = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "Api.blob('/api/campaigns/" + ID + "/cycles/1/annotations?format=geojson').then(b => done(b.size), e => done(-1));");
            assertTrue(((Number) size).longValue() > 100, "export download size " + size);
        } finally {
            driver.quit();
            Fixture.as("coord").contentType("application/json").body(Map.of("reason", "test done")).post("/api/campaigns/" + ID + "/cancel");
        }
    }
}
