package org.w4r.kit.validation;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's constraints and the one 400 problem they make, as every service's request records use them. */
class ConstraintsTest {
    static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    record Signer(@NotBlank @OneLine(max = 10) String name, @CountryCode String country) {
    }

    record Request(@Slug String caseId, List<@Slug String> caseIds, @Valid Signer signer,
                   @FreeText(max = 20) String message, @CampaignEra(daysAhead = 1) Instant occurredAt,
                   @CampaignEra(daysAhead = 0) LocalDate day) {
    }

    static Request ok() {
        return new Request("aung-san", List.of("case-1"), new Signer("Ana", "mm"), "line\r\nbreak\tok", Instant.now(),
                LocalDate.now().minusDays(1));
    }

    @Test
    void aFitRequestPasses() {
        Request fit = ok();
        assertEquals(fit, Violations.check(VALIDATOR, fit));
        // a right-to-left name with the marks a keyboard inserts is a name
        Request rtl = new Request(fit.caseId(), fit.caseIds(), new Signer("\u200Fنور\u200E", "MM"), fit.message(),
                fit.occurredAt(), fit.day());
        assertEquals(rtl, Violations.check(VALIDATOR, rtl));
    }

    @Test
    void eachConstraintRefusesWhatItMust() {
        Request r = ok();
        assertField("caseId", new Request("Bad_Id", r.caseIds(), r.signer(), r.message(), r.occurredAt(), r.day()));
        assertField("caseIds", new Request(r.caseId(), List.of("ok", "-no"), r.signer(), r.message(), r.occurredAt(), r.day()));
        assertField("signer.name", new Request(r.caseId(), r.caseIds(), new Signer(" ", "MM"), r.message(), r.occurredAt(), r.day()));
        assertField("signer.name", new Request(r.caseId(), r.caseIds(), new Signer("a\u0000b", "MM"), r.message(), r.occurredAt(), r.day()));
        assertField("signer.name", new Request(r.caseId(), r.caseIds(), new Signer("much too long", "MM"), r.message(), r.occurredAt(), r.day()));
        assertField("signer.name", new Request(r.caseId(), r.caseIds(), new Signer("x\uD800", "MM"), r.message(), r.occurredAt(), r.day()));
        // a line separator printed a second line under a name in the pack; an override made a name read as another
        assertField("signer.name", new Request(r.caseId(), r.caseIds(), new Signer("Ana\u2028Vrf", "MM"), r.message(), r.occurredAt(), r.day()));
        assertField("signer.name", new Request(r.caseId(), r.caseIds(), new Signer("\u202Enosnhoj", "MM"), r.message(), r.occurredAt(), r.day()));
        assertField("signer.name", new Request(r.caseId(), r.caseIds(), new Signer("a\u2067b\u2069", "MM"), r.message(), r.occurredAt(), r.day()));
        assertField("signer.country", new Request(r.caseId(), r.caseIds(), new Signer("Ana", "XX"), r.message(), r.occurredAt(), r.day()));
        assertField("signer.country", new Request(r.caseId(), r.caseIds(), new Signer("Ana", "MMR"), r.message(), r.occurredAt(), r.day()));
        assertField("message", new Request(r.caseId(), r.caseIds(), r.signer(), "bell\u0007", r.occurredAt(), r.day()));
        assertField("occurredAt", new Request(r.caseId(), r.caseIds(), r.signer(), r.message(), Instant.parse("1999-12-31T23:59:59Z"), r.day()));
        assertField("occurredAt", new Request(r.caseId(), r.caseIds(), r.signer(), r.message(), Instant.now().plus(2, ChronoUnit.DAYS), r.day()));
        assertField("day", new Request(r.caseId(), r.caseIds(), r.signer(), r.message(), r.occurredAt(), LocalDate.now().plusDays(2)));
    }

    @Test
    void theProblemNamesTheFirstFieldAndListsEveryViolation() {
        Request r = ok();
        ProblemException e = assertThrows(ProblemException.class, () -> Violations.check(VALIDATOR,
                new Request("Bad", r.caseIds(), new Signer("", "XX"), r.message(), r.occurredAt(), r.day())));
        Problem p = e.problem();
        assertEquals(400, p.status());
        assertEquals("caseId", p.extensions().get("field"));
        assertTrue(p.detail().startsWith("'caseId' must be an id"), p.detail());
        @SuppressWarnings("unchecked")
        List<Map<String, String>> errors = (List<Map<String, String>>) p.extensions().get("errors");
        assertEquals(List.of("caseId", "signer.country", "signer.name"), errors.stream().map(m -> m.get("field")).toList());
    }

    @Test
    void aCountryIsStoredUpperCase() {
        assertEquals("MM", CountryCode.Codes.normalise(" mm "));
        assertNull(CountryCode.Codes.normalise(" "));
    }

    private static void assertField(String field, Request request) {
        ProblemException e = assertThrows(ProblemException.class, () -> Violations.check(VALIDATOR, request), field);
        assertEquals(field, e.problem().extensions().get("field"), e.problem().detail());
        assertTrue(e.problem().detail().startsWith("'" + field + "' "), e.problem().detail());
    }
}
