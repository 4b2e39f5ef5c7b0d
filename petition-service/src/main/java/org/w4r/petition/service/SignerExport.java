package org.w4r.petition.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.w4r.events.CaseChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.reference.ReferenceData;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of signers who consented to have their name delivered, up to a cut-off, for a delivery team. Refused
 * while the case is on safety hold. Cells are neutralised against spreadsheet formula injection.
 */
@ApplicationScoped
public class SignerExport {
    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CsvSchema.builder().addColumn("name").addColumn("country").build().withHeader();

    @Inject
    EntityManager em;

    @Inject
    HoldGate holds;

    public String csv(String caseId, Instant until) {
        holds.requireNotHeld(caseId, "its signer list");
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select name, country from signature
                        where case_id = ?1 and show_name and occurred_at <= ?2 and name is not null
                        order by occurred_at, action_id""")
                .setParameter(1, caseId).setParameter(2, until == null ? Instant.now() : until).getResultList();
        List<List<String>> lines = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            lines.add(List.of(neutralise((String) row[0]), row[1] == null ? "" : ((String) row[1]).trim()));
        }
        try {
            return CSV.writer(SCHEMA).writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write CSV", e);
        }
    }

    /** A cell a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP's advice). */
    static String neutralise(String cell) {
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }
}
