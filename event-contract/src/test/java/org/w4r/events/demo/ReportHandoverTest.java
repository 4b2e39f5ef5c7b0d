package org.w4r.events.demo;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The report's handovers as both demo loaders read them (delivery-service's plans, the replay's 2020 edition); their
 * rows from the file: replay's DemoEditionTest.
 */
class ReportHandoverTest {
    @Test
    void datesAndRecipientKindsAreMappedAsDeliveryServicesDemoMapsThem() {
        assertEquals(Instant.parse("2021-01-01T00:00:00Z"), ReportHandover.firstDay("2021"));
        assertEquals(Instant.parse("2021-02-01T00:00:00Z"), ReportHandover.firstDay("2021-02"));
        assertEquals(Instant.parse("2021-03-28T00:00:00Z"), ReportHandover.firstDay("2021-03-28"));
        assertEquals("embassy", ReportHandover.recipientKind("gustavo-gatica", "petition", "Embassy of Chile in Australia"));
        assertEquals("target-authority", ReportHandover.recipientKind("el-hiblu-3", "petition", "Maltese authorities"));
        assertEquals("family", ReportHandover.recipientKind("nassima-al-sada", "solidarity", "Mousa, son of Nassima al-Sada"));
        assertEquals("family", ReportHandover.recipientKind("idris-khattak", "solidarity", "Talia and Shumaisa Khattak"));
        assertEquals("rights-holder", ReportHandover.recipientKind("jani-silva", "solidarity", "Jani Silva"));
    }
}
