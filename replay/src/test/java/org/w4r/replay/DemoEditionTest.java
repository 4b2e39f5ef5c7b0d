package org.w4r.replay;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The report's handovers as the demo's 2020 edition reads them (each row's meaning: event-contract's ReportHandoverTest;
 * the handovers themselves: CampaignReplayIT).
 */
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
}
