package org.w4r.replay;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The report's handovers as the demo's 2020 edition reads them (the handovers themselves: CampaignReplayIT). */
class DemoEditionTest {
    @Test
    void theReportsRowsAreReadWithTheirQuotedCells() {
        List<Map<String, String>> rows = DemoEdition.rows();
        assertEquals(12, rows.size());
        assertEquals(8, rows.stream().filter(r -> "delivered".equals(r.get("status"))).count());
        assertEquals("Mousa, son of Nassima al-Sada", rows.get(0).get("recipient"));
        assertEquals("letters merged into one \"Letter from the World\" for International Mother Earth Day",
                rows.stream().filter(r -> r.get("case_id").equals("jani-silva")).findFirst().orElseThrow().get("note"));
    }

    @Test
    void datesAndRecipientKindsAreMappedAsDeliveryServicesDemoMapsThem() {
        assertEquals(Instant.parse("2021-01-01T00:00:00Z"), DemoEdition.date("2021"));
        assertEquals(Instant.parse("2021-02-01T00:00:00Z"), DemoEdition.date("2021-02"));
        assertEquals(Instant.parse("2021-03-28T00:00:00Z"), DemoEdition.date("2021-03-28"));
        assertEquals("embassy", DemoEdition.recipientKind("gustavo-gatica", "petition", "Embassy of Chile in Australia"));
        assertEquals("target-authority", DemoEdition.recipientKind("el-hiblu-3", "petition", "Maltese authorities"));
        assertEquals("family", DemoEdition.recipientKind("nassima-al-sada", "solidarity", "Mousa, son of Nassima al-Sada"));
        assertEquals("family", DemoEdition.recipientKind("idris-khattak", "solidarity", "Talia and Shumaisa Khattak"));
        assertEquals("rights-holder", DemoEdition.recipientKind("jani-silva", "solidarity", "Jani Silva"));
    }
}
