package org.w4r.petition.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.petition.repository.SignatureRepository;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of signers who consented to have their name delivered, up to a cut-off, for a delivery team. Refused
 * while the case is on safety hold. Cells are neutralised against spreadsheet formula injection.
 */
@ApplicationScoped
public class SignerExportService {
    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CsvSchema.builder().addColumn("name").addColumn("country").build().withHeader();

    @Inject
    SignatureRepository signatures;

    @Inject
    HoldGate holds;

    public String csv(String caseId, Instant until) throws SQLException {
        holds.requireNotHeld(caseId, "its signer list");
        List<List<String>> lines = new ArrayList<>();
        for (SignatureRepository.Signer signer : signatures.consenting(caseId, until)) {
            lines.add(List.of(neutralise(signer.name()), signer.country()));
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
