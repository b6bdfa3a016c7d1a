package org.uga.api.it;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.uga.api.it.Fixture.as;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.uga.activities.SlideScoring;
import org.uga.api.campaigns.SlideCatalog;
import org.uga.api.platform.Storage;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.SlideGenerator;
import org.uga.imaging.SlideInfo;
import org.uga.imaging.TiledTiffWriter;

/**
 * Whole slides as campaign pool candidates: a generated tiled pyramidal TIFF ({@link SlideGenerator}) uploaded with
 * {@code kind=slide}, listed among the candidates with the size its TIFF header gives, previewed as a PNG, and put
 * into a campaign's pool — which starts and selects patches from slide windows (the real in-process worker).
 * Missing slide keys and objects under {@code slides/} that are not slides are refused, naming the key.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlidePoolApiTest {

    static final int WIDTH = 768;
    static final int HEIGHT = 576;
    static final String SLIDE_ID = "pool-slide";
    static final String KEY = "slides/" + SLIDE_ID + "/original.tiff";
    /** The campaign scores a smaller slide: every 256 px window costs MC-dropout passes on the 2-core CI box. */
    static final String SMALL_ID = "pool-slide-small";
    static final String SMALL_KEY = "slides/" + SMALL_ID + "/original.tiff";
    static final String JUNK_KEY = "slides/junk-slide/original.tiff";
    static final String CAMPAIGN = "slide-pool";

    static Path dir;
    static Path slideFile;
    static Path smallFile;
    static SlideInfo expected;

    @Inject
    Storage storage;

    @Inject
    SlideCatalog catalog;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void generateSlide() throws Exception {
        dir = Files.createTempDirectory("uga-slide-pool-test");
        slideFile = new SlideGenerator(WIDTH, HEIGHT, 5).writeTiff(dir.resolve("slide.tiff"), 128,
                TiledTiffWriter.Compression.DEFLATE);
        try (ImageIoSlideReader r = ImageIoSlideReader.open(slideFile)) {
            expected = r.info();
        }
        assertTrue(expected.levelCount() > 1, "the generated slide is pyramidal: " + expected);
        smallFile = new SlideGenerator(384, 288, 6).writeTiff(dir.resolve("small.tiff"), 128, TiledTiffWriter.Compression.DEFLATE);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (slideFile != null) {
            Files.deleteIfExists(slideFile);
            Files.deleteIfExists(smallFile);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @Order(1)
    void uploadedSlideIsListedAsCandidateWithItsHeaderSize() throws Exception {
        Fixture.uploadData();
        long bytes = Files.size(slideFile);
        as("coord").contentType("image/tiff").body(Files.readAllBytes(slideFile))
                .post("/api/slides?id=" + SLIDE_ID + "&kind=slide").then().statusCode(201)
                .body("key", equalTo(KEY)).body("width", equalTo(WIDTH)).body("height", equalTo(HEIGHT))
                .body("levels", equalTo(expected.levelCount())).body("kind", equalTo("slide"));

        JsonPath list = as("coord").get("/api/slides/candidates").then().statusCode(200).extract().jsonPath();
        Map<String, Object> slide = candidate(list, KEY);
        assertEquals("slide", slide.get("kind"));
        assertEquals(KEY, slide.get("poolEntry"));
        assertEquals(WIDTH, slide.get("width"));
        assertEquals(HEIGHT, slide.get("height"));
        assertEquals(expected.levelCount(), slide.get("levels"));
        assertEquals(bytes, ((Number) slide.get("bytes")).longValue());
        assertEquals("/api/slides/" + SLIDE_ID + "/original.tiff/preview", slide.get("previewUrl"));
        assertEquals(Boolean.TRUE, slide.get("usable"));
        List<?> levelSizes = (List<?>) slide.get("levelSizes");
        assertEquals(expected.level(1).width(), ((Map<?, ?>) levelSizes.get(1)).get("width"));

        // Dataset tiles are candidates too: pool entry = tile id, with their dataset, size and whether a mask exists.
        Map<String, Object> tile = candidate(list, "datasets/" + Fixture.LOCAL + "/images/" + Fixture.POOL_IDS.get(0) + ".png");
        assertEquals("tile", tile.get("kind"));
        assertEquals(Fixture.POOL_IDS.get(0), tile.get("poolEntry"));
        assertEquals(Fixture.LOCAL, tile.get("dataset"));
        assertEquals(Fixture.TILE, tile.get("width"));
        assertEquals(Boolean.TRUE, tile.get("hasMask"));
        // ?dataset= limits the tiles; slides stay.
        JsonPath central = as("audit").get("/api/slides/candidates?dataset=" + Fixture.CENTRAL).then().statusCode(200)
                .extract().jsonPath();
        for (Map<String, Object> c : central.<Map<String, Object>>getList("")) {
            assertTrue("slide".equals(c.get("kind")) || Fixture.CENTRAL.equals(c.get("dataset")), c.toString());
        }
        candidate(central, KEY);
        as("alice").get("/api/slides/candidates").then().statusCode(403);
        as("coord").get("/api/slides/candidates?dataset=../x").then().statusCode(400);

        // Describing the slide read its header and directories with ranged GETs, not the whole object.
        SlideCatalog.SlideSummary s = catalog.inspect(KEY).summary();
        assertNotNull(s);
        System.out.printf("slide %dx%d, %d levels, %d bytes: describing it read %d bytes%n", WIDTH, HEIGHT,
                expected.levelCount(), bytes, s.bytesRead());
        assertTrue(s.bytesRead() > 0 && s.bytesRead() < bytes / 2, "read " + s.bytesRead() + " of " + bytes + " bytes");
    }

    @Test
    @Order(2)
    void previewIsADownscaledPngOfTheSlide() throws Exception {
        byte[] png = as("audit").get("/api/slides/" + SLIDE_ID + "/original.tiff/preview").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        BufferedImage preview = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(preview, "the preview decodes as PNG");
        assertEquals(512, preview.getWidth());
        assertEquals(384, preview.getHeight());
        // It shows the slide: compare with the level-0 pixels scaled down here.
        BufferedImage full;
        try (ImageIoSlideReader r = ImageIoSlideReader.open(slideFile)) {
            full = r.readRegion(0, 0, 0, WIDTH, HEIGHT);
        }
        BufferedImage reference = new BufferedImage(512, 384, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = reference.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(full, 0, 0, 512, 384, null);
        g.dispose();
        double diff = 0;
        int tissue = 0;
        for (int y = 0; y < 384; y++) {
            for (int x = 0; x < 512; x++) {
                int a = preview.getRGB(x, y);
                int b = reference.getRGB(x, y);
                for (int sh = 0; sh <= 16; sh += 8) {
                    diff += Math.abs(((a >> sh) & 0xFF) - ((b >> sh) & 0xFF));
                }
                if ((a & 0xFF) < 200) {
                    tissue++;
                }
            }
        }
        double meanDiff = diff / (512 * 384 * 3);
        assertTrue(meanDiff < 12, "mean channel difference to the slide " + meanDiff);
        assertTrue(tissue > 512 * 384 / 50, "the preview shows tissue, not blank glass: " + tissue + " px");

        as("coord").get("/api/slides/no-such-slide/original.tiff/preview").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("slides/no-such-slide/original.tiff"));
        as("alice").get("/api/slides/" + SLIDE_ID + "/original.tiff/preview").then().statusCode(403);
    }

    @Test
    @Order(3)
    void objectsUnderSlidesThatAreNotSlidesAreRefusedNamingTheKey() {
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        storage.put(JUNK_KEY, junk, "image/tiff");
        JsonPath list = as("coord").get("/api/slides/candidates").then().statusCode(200).extract().jsonPath();
        Map<String, Object> c = candidate(list, JUNK_KEY);
        assertEquals(Boolean.FALSE, c.get("usable"));
        assertTrue(String.valueOf(c.get("problem")).contains(JUNK_KEY), String.valueOf(c.get("problem")));
        assertFalse(c.containsKey("previewUrl"));

        as("coord").get("/api/slides/junk-slide/original.tiff/preview").then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo("/problems/undecodable-image"))
                .body("detail", containsString(JUNK_KEY));
        as("coord").contentType("application/json").body(Map.of("keys", List.of(JUNK_KEY))).post("/api/slides/register")
                .then().statusCode(422).body("detail", containsString(JUNK_KEY));
        // Random bytes uploaded as a slide are refused before anything is stored.
        as("coord").contentType("image/tiff").body(junk).post("/api/slides?id=junk-upload&kind=slide").then().statusCode(415);

        refused(List.of(JUNK_KEY), JUNK_KEY, "not a readable slide");
        refused(List.of("slides/missing-slide/original.tiff"), "slides/missing-slide/original.tiff", "does not exist");
        refused(List.of("slides/a/b/c.tiff"), "slides/a/b/c.tiff", "slides/<slideId>/<file>");
        refused(List.of(KEY, "slides/missing-slide/original.tiff"), "slides/missing-slide/original.tiff", "does not exist");
        Map<String, Object> spec = spec("slide-as-validation", Fixture.POOL_IDS);
        spec.put("localData", Map.of("datasetPrefix", Fixture.LOCAL, "tileIds", Fixture.POOL_IDS, "validationTileIds", List.of(KEY)));
        as("coord").contentType("application/json").body(spec).post("/api/campaigns").then().statusCode(400)
                .body("detail", containsString("validation needs dataset tiles"));
        as("coord").get("/api/campaigns").then().statusCode(200)
                .body("campaignId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("slide-refused")));
    }

    @Test
    @Order(4)
    void campaignWithASlideInItsPoolStartsAndSelectsSlideWindows() throws Exception {
        as("coord").contentType("image/tiff").body(Files.readAllBytes(smallFile))
                .post("/api/slides?id=" + SMALL_ID + "&kind=slide").then().statusCode(201).body("key", equalTo(SMALL_KEY));
        List<String> pool = List.of(SMALL_KEY);
        as("coord").contentType("application/json").body(spec(CAMPAIGN, pool)).post("/api/campaigns").then()
                .statusCode(201).body("spec.localData.tileIds", equalTo(pool));
        try {
            checkPatchesComeFromTheSlide();
        } finally {
            as("coord").contentType("application/json").body(Map.of("reason", "test done"))
                    .post("/api/campaigns/" + CAMPAIGN + "/cancel").then().statusCode(org.hamcrest.Matchers.lessThan(300));
        }
    }

    private void checkPatchesComeFromTheSlide() {
        long t0 = System.nanoTime();
        JsonPath status = Fixture.awaitStatus(CAMPAIGN, Duration.ofMinutes(4), "ANNOTATING with patches",
                s -> "ANNOTATING".equals(s.getString("phase")) && !s.getList("patches").isEmpty());
        List<String> imageIds = new ArrayList<>();
        for (Map<String, Object> p : status.<Map<String, Object>>getList("patches")) {
            imageIds.add(String.valueOf(p.get("imageId")));
        }
        String imageId = SlideScoring.imageId(SMALL_KEY);
        assertTrue(imageIds.stream().anyMatch(id -> SlideScoring.SlideWindow.isWindowId(id) && id.startsWith(imageId + "@")),
                "a patch comes from a window of the slide: " + imageIds);
        Map<String, Object> fromSlide = status.<Map<String, Object>>getList("patches").stream()
                .filter(p -> String.valueOf(p.get("imageId")).startsWith(imageId + "@")).findFirst().orElseThrow();
        byte[] png = as("alice").get("/api/campaigns/" + CAMPAIGN + "/patches/" + fromSlide.get("patchId") + "/image")
                .then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertTrue(png.length > 8);
        // The cycle's export files the slide's patches under the slide, in its level-0 pixels (window + offset).
        SlideScoring.SlideWindow w = SlideScoring.SlideWindow.parse(String.valueOf(fromSlide.get("imageId")));
        JsonPath geo = as("coord").get("/api/campaigns/" + CAMPAIGN + "/cycles/1/annotations?format=geojson&imageId=" + imageId)
                .then().statusCode(200).extract().jsonPath();
        List<List<Number>> ring = geo.getList("features.find { it.properties.name == '" + fromSlide.get("patchId")
                + "' }.geometry.coordinates[0]");
        int x0 = w.x() + ((Number) fromSlide.get("x")).intValue();
        int y0 = w.y() + ((Number) fromSlide.get("y")).intValue();
        assertEquals(x0, ring.stream().mapToDouble(c -> c.get(0).doubleValue()).min().orElseThrow(), 1e-9, "patch x in slide pixels");
        assertEquals(y0, ring.stream().mapToDouble(c -> c.get(1).doubleValue()).min().orElseThrow(), 1e-9, "patch y in slide pixels");
        System.out.printf("slide campaign: ANNOTATING with %d patches %d ms after creation%n",
                imageIds.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** The coordinator's page lists the slide with its preview, and ticking it puts its key into the spec's pool. */
    @Test
    @Order(5)
    void coordinatorTicksTheSlideInTheBrowser() throws Exception {
        assumeTrue(new File(BrowserE2ETest.CHROMIUM).canExecute() && new File(BrowserE2ETest.DRIVER).canExecute(),
                "headless browser check needs Debian chromium + chromium-driver");
        Path profile = Files.createTempDirectory("uga-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserE2ETest.CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(BrowserE2ETest.DRIVER))
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get(root.toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys("coord");
            driver.findElement(By.id("login-password")).sendKeys("coord");
            driver.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#create-campaign summary"))).click();
            WebElement tick = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#candidates-table input[data-key='" + KEY + "']")));
            WebElement row = tick.findElement(By.xpath("./ancestor::tr"));
            wait.until(d -> row.findElements(By.cssSelector("td.preview img")).stream()
                    .anyMatch(img -> "512".equals(img.getDomProperty("naturalWidth"))));
            assertTrue(row.getText().contains(WIDTH + " × " + HEIGHT), row.getText());
            assertFalse(driver.findElement(By.cssSelector("#candidates-table input[data-key='" + JUNK_KEY + "']")).isEnabled(),
                    "an unreadable object cannot be ticked");
            tick.click();
            driver.findElement(By.id("candidates-pool")).click();
            String spec = driver.findElement(By.id("campaign-spec")).getDomProperty("value");
            List<String> pool = JsonPath.from(spec).getList("localData.tileIds");
            assertEquals(List.of(KEY), pool, spec);
        } finally {
            driver.quit();
        }
    }

    private static void refused(List<String> pool, String key, String why) {
        as("coord").contentType("application/json").body(spec("slide-refused", pool)).post("/api/campaigns").then()
                .statusCode(400).contentType("application/problem+json").body("type", equalTo("/problems/invalid-campaign-spec"))
                .body("detail", containsString(key)).body("detail", containsString(why));
    }

    private static Map<String, Object> spec(String id, List<String> pool) {
        Map<String, Object> spec = new LinkedHashMap<>(Fixture.spec(id, List.of("alice"), 2, 1));
        spec.put("localData", Map.of("datasetPrefix", Fixture.LOCAL, "tileIds", pool, "validationTileIds", Fixture.VALIDATION_IDS));
        return spec;
    }

    private static Map<String, Object> candidate(JsonPath list, String key) {
        return list.<Map<String, Object>>getList("").stream().filter(c -> key.equals(c.get("key"))).findFirst()
                .orElseThrow(() -> new AssertionError("no candidate with key " + key + " in " + list.prettify()));
    }
}
