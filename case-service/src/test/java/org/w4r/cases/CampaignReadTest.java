package org.w4r.cases;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A campaign's answer is one state: its version (the ETag an edit's If-Match sends) and the extensions it shows were
 * read together. They were read in two statements, so an extension committed between them was shown under the version
 * before it, and an edit sent with that ETag passed over an extension its editor never saw (a read-only review,
 * 6 December 2026). The extension here is made by hand as {@code PUT …/extensions/…} makes it (the campaign's row, its
 * version, the extension), in a transaction the test holds open; the extension table is held too, so a read that takes
 * the campaign first and its extensions after waits between the two.
 */
@QuarkusTest
class CampaignReadTest extends RunningService {
    @Test
    void oneCampaignIsReadWithTheExtensionsOfItsVersion() throws Exception {
        String campaign = CaseLifecycleTest.openCampaign();
        JsonPath read = readWhileExtending(campaign, () -> given().auth().oauth2(DemoCredentials.coordinator())
                .get("/api/v1/campaigns/" + campaign)).jsonPath();
        oneState(campaign, read.getLong("version"), read.getList("extensions.entityId"));
    }

    @Test
    void theListReadsEachCampaignWithTheExtensionsOfItsVersion() throws Exception {
        String campaign = CaseLifecycleTest.openCampaign();
        JsonPath list = readWhileExtending(campaign, () -> given().auth().oauth2(DemoCredentials.coordinator())
                .get("/api/v1/campaigns")).jsonPath();
        String ours = "find { it.campaignId == '" + campaign + "' }";
        oneState(campaign, list.getLong(ours + ".version"), list.getList(ours + ".extensions.entityId"));
    }

    private static void oneState(String campaign, long version, List<String> extended) {
        assertEquals(List.of("international-members"), extended, "the extension committed before the answer");
        assertEquals(1, version, "campaign " + campaign + ": the version of that extension, not the one before it");
    }

    private static Response readWhileExtending(String campaign, Callable<Response> read) throws Exception {
        try (OpenTransaction extend = new OpenTransaction()) {
            extend.run("update campaign set version = version + 1, changed_at = now() where id = ?", campaign);
            extend.run("lock table campaign_extension in access exclusive mode");
            extend.run("insert into campaign_extension (campaign_id, entity_id, closes_at) "
                    + "select id, 'international-members', closes_at + interval '30 days' from campaign where id = ?",
                    campaign);
            Future<Response> answer = extend.meanwhile(read);
            extend.awaitBlocked(answer);
            extend.commit();
            Response r = OpenTransaction.answer(answer);
            assertEquals(200, r.statusCode(), r.asString());
            return r;
        }
    }
}
