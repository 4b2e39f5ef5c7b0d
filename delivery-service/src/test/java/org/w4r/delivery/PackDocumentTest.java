package org.w4r.delivery;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.w4r.events.ActionType;
import org.w4r.events.EntityChanged;
import org.w4r.events.Topics;
import org.w4r.testsupport.ReferenceFixtures;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.w4r.delivery.Waiting.await;

/**
 * The pack looked at as a person would: each page rendered to an image and its text read page by page (cover facts,
 * the total in large type, the breakdowns, signers in columns, page numbers, how to verify); the ZIP beside it; the
 * recipient's language. The rendered cover and a signer page are the docs' screenshots.
 */
@QuarkusTest
class PackDocumentTest extends RunningService {
    static final int SIGNERS = 400;
    /** The case's demand as case-service publishes it: printed on the cover under the target authority. */
    static final String DEMAND = "Drop all charges against the El Hiblu 3";

    @Test
    void thePackIsADocumentWithACoverBreakdownsNumberedSignerPagesAndItsVerification() throws Exception {
        Handed handed = handedOver("MT");
        Response response = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + handed.id + "/pack");
        response.then().statusCode(200).contentType("application/pdf").header("Content-Language", "en");
        byte[] pdf = response.asByteArray();
        assertEquals(sha256(pdf), response.header("X-Pack-SHA256"));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            int pages = document.getNumberOfPages();
            // cover, breakdown, at least three pages of 400 signers in three columns, verification
            assertTrue(pages >= 6, "pages: " + pages);
            List<String> texts = new ArrayList<>();
            for (int page = 1; page <= pages; page++) {
                String text = pageText(document, page);
                texts.add(text);
                assertTrue(text.contains("Page " + page + " of " + pages), page + ": " + text);
            }
            String cover = texts.get(0);
            for (String fact : List.of("Delivery pack", "El Hiblu 3", "Petition", "Test campaign",
                    "Maltese authorities", "Our demand", DEMAND, "Embassy of Myanmar (embassy)", "Valletta, Malta",
                    "all entities of the movement", "Team Malta", "1,254", "actions taken for this case up to",
                    handed.cutoffText)) {
                assertTrue(cover.contains(fact), "cover without " + fact + ": " + cover);
            }
            String breakdown = texts.get(1);
            for (String row : List.of("By country", "France 4", "Malta 1,250", "Amnesty International France " + handed.suffix + " 4",
                    "Amnesty International Malta " + handed.suffix + " 1,250", "Letters 1,250", "Emails 3", "Signatures 1")) {
                assertTrue(breakdown.contains(row), "breakdown without " + row + ": " + breakdown);
            }
            String signerPages = String.join("\n", texts.subList(2, pages - 1));
            assertTrue(texts.get(2).contains("People who agreed to be named (400)"), texts.get(2));
            assertTrue(texts.get(3).contains("People who agreed to be named (continued)"), texts.get(3));
            for (int i = 1; i <= SIGNERS; i++) {
                assertTrue(signerPages.contains(i + ". " + signer(i)), "signer " + i + " missing");
            }
            assertTrue(signerPages.contains("Zoë \"Z\" Ng"), "a name with quotes and a diaeresis is kept");
            String verification = texts.get(pages - 1);
            assertTrue(verification.contains("How to verify this pack") && verification.contains("sha256sum")
                    && verification.contains(handed.id), verification);

            PDFRenderer renderer = new PDFRenderer(document);
            BufferedImage coverImage = renderer.renderImageWithDPI(0, 110);
            BufferedImage signerImage = renderer.renderImageWithDPI(2, 110);
            assertTrue(inked(coverImage) > 0.01, "the cover is blank");
            assertTrue(inked(signerImage) > 0.01, "the signer page is blank");
            // the total in large type: its digits are far taller than body text
            assertTrue(tallestInkRun(coverImage) > 50, "no large type on the cover");
            screenshot(coverImage, "pack-cover.png");
            screenshot(signerImage, "pack-signers.png");
        }
    }

    @Test
    void theZipHoldsTheSamePdfTheListAndCountsAsCsvAndTheirSums() throws Exception {
        Handed handed = handedOver("MT");
        Response response = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + handed.id + "/pack.zip");
        response.then().statusCode(200).contentType("application/zip");
        Map<String, byte[]> files = unzip(response.asByteArray());
        String pdfName = "delivery-pack-" + handed.caseId + "-" + handed.id + ".pdf";
        assertEquals(List.of(pdfName, "signers.csv", "counts.csv", "SHA256SUMS"), List.copyOf(files.keySet()));
        String pdfSha = sha256(files.get(pdfName));
        assertEquals(pdfSha, response.header("X-Pack-SHA256"));
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + handed.id).then()
                .body("handover.packSha256", equalTo(pdfSha));
        // the same pack as the PDF endpoint serves
        assertArrayEquals(files.get(pdfName),
                given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + handed.id + "/pack").asByteArray());

        List<String> signers = new String(files.get("signers.csv"), StandardCharsets.UTF_8).lines().toList();
        assertEquals("name,country", signers.get(0));
        assertEquals(SIGNERS + 1, signers.size());
        assertTrue(signers.contains("\"Zoë \"\"Z\"\" Ng\",\"SG\""), signers.toString());
        String counts = new String(files.get("counts.csv"), StandardCharsets.UTF_8);
        assertTrue(counts.contains("\"" + handed.france + "\",\"Amnesty International France " + handed.suffix + "\",\"FR\",\"email\",3"), counts);
        assertTrue(counts.contains("\"" + handed.malta + "\",\"Amnesty International Malta " + handed.suffix + "\",\"MT\",\"letter\",1250"), counts);
        // SHA256SUMS checks every file, as sha256sum -c would; the PDF prints the CSVs' sums
        List<String> sums = new String(files.get("SHA256SUMS"), StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, sums.size());
        for (String line : sums) {
            String[] parts = line.split("  ", 2);
            assertEquals(sha256(files.get(parts[1])), parts[0], line);
        }
        try (PDDocument document = Loader.loadPDF(files.get(pdfName))) {
            String last = pageText(document, document.getNumberOfPages());
            assertTrue(last.contains(sha256(files.get("signers.csv"))) && last.contains(sha256(files.get("counts.csv"))), last);
        }
        // reproducible: the same ZIP again
        assertArrayEquals(response.asByteArray(),
                given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + handed.id + "/pack.zip").asByteArray());
    }

    @Test
    void thePackSpeaksTheRecipientsLanguage() throws Exception {
        Handed inFrance = handedOver("FR");
        Response french = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + inFrance.id + "/pack");
        french.then().statusCode(200).header("Content-Language", "fr");
        try (PDDocument document = Loader.loadPDF(french.asByteArray())) {
            String cover = pageText(document, 1);
            for (String fact : List.of("Dossier de remise", "Autorité visée", "1 254", "actions menées pour ce cas jusqu'au",
                    "Page 1 sur " + document.getNumberOfPages(), "Valletta, France")) {
                assertTrue(cover.contains(fact), "French cover without " + fact + ": " + cover);
            }
            assertTrue(pageText(document, 2).contains("Par type d'action"));
        }
        Handed handed = handedOver("MT");
        Response spanish = given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + handed.id + "/pack?lang=es");
        spanish.then().statusCode(200).header("Content-Language", "es");
        try (PDDocument document = Loader.loadPDF(spanish.asByteArray())) {
            String cover = pageText(document, 1);
            assertTrue(cover.contains("Dosier de entrega") && cover.contains("Página 1 de") && cover.contains("Malta"), cover);
        }
        // Arabic is asked for but not written (no glyph shaping in the PDF): English, and the header says so
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + handed.id + "/pack?lang=ar").then().statusCode(200)
                .header("Content-Language", "en");
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + handed.id + "/pack.zip?lang=xx").then().statusCode(400)
                .contentType("application/problem+json").body("type", endsWith("/invalid-field")).body("field", equalTo("lang"));
    }

    @Test
    void theZipIsRefusedLikeThePdf() {
        String caseId = Streams.newCase(kafka);
        String id = Streams.plan(caseId, "petition");
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack.zip").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/not-delivered"));
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200);
        given().auth().oauth2(org.w4r.testsupport.ReferenceFixtures.staffToken("coordinator"))
                .get("/api/v1/deliveries/" + id + "/pack.zip").then().statusCode(403);
        given().get("/api/v1/deliveries/" + id + "/pack.zip").then().statusCode(401);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + UUID.randomUUID() + "/pack.zip").then().statusCode(404);
        PetitionStub.RETIRED.add(caseId);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack.zip").then().statusCode(410)
                .body("type", endsWith("/pack-retired"));
        String held = Streams.newCase(kafka);
        String heldId = Streams.plan(held, "petition");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(Instant.now()))
                .post("/api/v1/deliveries/" + heldId + "/handover").then().statusCode(200);
        Streams.hold(kafka, held, 77);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + heldId + "/pack.zip").then().statusCode(409)
                .body("type", endsWith("/case-on-hold"));
        assertEquals(0, Rows.number(db, "select count(*) from pack_issue where delivery_id in (?::uuid, ?::uuid)", id, heldId));
    }

    /**
     * Issue 21.4: a team looks at the pack before it records the handover. The preview is the same document with the
     * figures a handover with that cut-off would freeze, marked as a preview on its cover; it freezes, stores and
     * publishes nothing (the delivery stays planned), is on the audit trail, and is refused once the handover is
     * recorded (the pack itself is then the thing to read).
     */
    @Test
    void aPlannedDeliverysPackIsPreviewedBeforeTheHandoverAndNothingIsRecorded() throws Exception {
        String caseId = Streams.newCase(kafka);
        Instant cutoff = Streams.recentCutoff();
        Streams.publish(kafka, Topics.ACTIONS, caseId,
                Streams.action(caseId, "ai-malta", ActionType.LETTER, 40, cutoff.minusSeconds(10)),
                Streams.action(caseId, "ai-malta", ActionType.LETTER, 7, cutoff.plusSeconds(1)));
        await().untilAsserted(() -> assertEquals(40L, HandoverCountsTest.counts(caseId, cutoff, "petition").getLong("total")));
        PetitionStub.SIGNERS_CSV.put(caseId, "name,country\r\nMarie Curie,FR\r\n");
        String id = Streams.plan(caseId, "petition");

        Response preview = given().auth().oauth2(DELIVERY).queryParam("until", cutoff.toString())
                .get("/api/v1/deliveries/" + id + "/pack-preview");
        preview.then().statusCode(200).contentType("application/pdf").header("Cache-Control", "no-store");
        byte[] pdf = preview.asByteArray();
        assertEquals(sha256(pdf), preview.header("X-Pack-SHA256"));
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String cover = pageText(document, 1);
            for (String fact : List.of("PREVIEW: not handed over, nothing recorded", "not yet (previewed", "40",
                    "actions taken for this case up to")) {
                assertTrue(cover.contains(fact), "preview cover without " + fact + ": " + cover);
            }
            assertTrue(String.join("\n", pageText(document, 3)).contains("Marie Curie"), "the signers it would name");
        }
        // nothing recorded: still planned, no pack digest, nothing frozen; but who looked is on the trail
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id).then().statusCode(200)
                .body("status", equalTo("planned")).body("handover", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(ReferenceFixtures.staffToken("coordinator"))
                .get("/api/v1/audit?subjectId=" + id).then().statusCode(200)
                .body("entries.action", equalTo(List.of("delivery.pack.previewed", "delivery.planned")))
                .body("entries[0].detail.sha256", equalTo(preview.header("X-Pack-SHA256")));
        given().auth().oauth2(DELIVERY).queryParam("until", "yesterday").get("/api/v1/deliveries/" + id + "/pack-preview")
                .then().statusCode(400).contentType("application/problem+json");

        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200);
        given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack-preview").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("/not-planned"));
        try (PDDocument document = Loader.loadPDF(given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack")
                .then().statusCode(200).extract().asByteArray())) {
            assertTrue(!pageText(document, 1).contains("PREVIEW"), "the pack itself is no preview");
        }
    }

    record Handed(String id, String caseId, String france, String malta, String suffix, String cutoffText) {
    }

    /** A petition of a new case handed over in {@code country}: 1 signature and 3 emails from France, 1,250 letters from Malta. */
    private Handed handedOver(String country) {
        String caseId = Streams.newCase(kafka);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String france = "pack-fr-" + suffix, malta = "pack-mt-" + suffix;
        Instant now = Instant.now();
        // a case as the docs' screenshot shows it: its name and target authority as case-service publishes them
        Streams.publish(kafka, Topics.CASES, caseId, new org.w4r.events.CaseChanged(UUID.randomUUID(), caseId,
                ReferenceFixtures.CAMPAIGN, "El Hiblu 3", "MT", "Maltese authorities", "global", null, 1000L, "active",
                true, null, ReferenceFixtures.version(), now, null, DEMAND));
        Streams.publish(kafka, Topics.ENTITIES, france, new EntityChanged(UUID.randomUUID(), france,
                "Amnesty International France " + suffix, "FR", "section", now));
        Streams.publish(kafka, Topics.ENTITIES, malta, new EntityChanged(UUID.randomUUID(), malta,
                "Amnesty International Malta " + suffix, "MT", "section", now));
        Instant cutoff = now.minusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        Streams.publish(kafka, Topics.ACTIONS, caseId,
                Streams.action(caseId, france, ActionType.SIGNATURE, 1, cutoff.minusSeconds(10)),
                Streams.action(caseId, france, ActionType.EMAIL, 3, cutoff.minusSeconds(9)),
                Streams.action(caseId, malta, ActionType.LETTER, 1250, cutoff.minusSeconds(10)),
                Streams.action(caseId, malta, ActionType.LETTER, 99, cutoff.plusSeconds(1)));
        await().untilAsserted(() -> assertEquals(1254L,
                HandoverCountsTest.counts(caseId, cutoff, "petition").getLong("total")));
        StringBuilder csv = new StringBuilder("name,country\r\n");
        for (int i = 1; i <= SIGNERS; i++) {
            csv.append(i == 7 ? "\"Zoë \"\"Z\"\" Ng\"" : signer(i)).append(',').append(i == 7 ? "SG" : i % 2 == 0 ? "FR" : "MT").append("\r\n");
        }
        PetitionStub.SIGNERS_CSV.put(caseId, csv.toString());
        String body = Streams.planBody(caseId, "petition").replace("\"country\":\"MT\"", "\"country\":\"" + country + "\"");
        String id = given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(body)
                .post("/api/v1/deliveries").then().statusCode(201).extract().path("id");
        given().auth().oauth2(DELIVERY).contentType(ContentType.JSON).body(Streams.handoverBody(cutoff))
                .post("/api/v1/deliveries/" + id + "/handover").then().statusCode(200);
        // the entities reach the read model over Kafka: the pack names them once they are there
        await().untilAsserted(() -> assertTrue(DeliveryPackTest.text(given().auth().oauth2(DELIVERY)
                .get("/api/v1/deliveries/" + id + "/pack").asByteArray()).contains("Amnesty International Malta " + suffix)
                && DeliveryPackTest.text(given().auth().oauth2(DELIVERY).get("/api/v1/deliveries/" + id + "/pack")
                .asByteArray()).contains("Maltese authorities")));
        String cutoffText = java.time.format.DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", java.util.Locale.ENGLISH)
                .withZone(java.time.ZoneOffset.UTC).format(cutoff);
        return new Handed(id, caseId, france, malta, suffix, cutoffText);
    }

    static String signer(int i) {
        return i == 7 ? "Zoë \"Z\" Ng" : "Signer %03d".formatted(i);
    }

    static String pageText(PDDocument document, int page) throws Exception {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(document).replaceAll("[ \\t]+", " ");
    }

    /** The share of pixels that are not near-white. */
    static double inked(BufferedImage image) {
        long inked = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int lightness = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                if (lightness < 600) {
                    inked++;
                }
            }
        }
        return (double) inked / ((long) image.getWidth() * image.getHeight());
    }

    /** The longest vertical run of dark pixels: a glyph of large type is many times taller than body text's. */
    static int tallestInkRun(BufferedImage image) {
        int tallest = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            int run = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y);
                boolean dark = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 300;
                run = dark ? run + 1 : 0;
                tallest = Math.max(tallest, run);
            }
        }
        return tallest;
    }

    /**
     * Under target/, as platform-it keeps its screenshots: written into docs/img, every test run left the tree
     * changed. docs/img holds copies, refreshed on purpose.
     */
    static void screenshot(BufferedImage image, String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/screenshots"));
        ImageIO.write(image, "png", dir.resolve(name).toFile());
    }

    static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
