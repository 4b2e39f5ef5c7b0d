package org.w4r.cases.service;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.CaseFile;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads cases and entities from CSV in the format of the 2020 report's figures
 * ({@code case_id,name,country,iso2,estimated_actions} and {@code entity_id,name,reported_actions}).
 * Optional case columns: {@code target_authority}, {@code scope}, {@code local_entity_id}, {@code goal},
 * {@code status}; optional entity columns: {@code country} (ISO code), {@code kind}.
 * All rows or none: one bad row refuses the file, naming its line.
 */
@ApplicationScoped
public class CsvImport {
    static final int MAX_ROWS = 10_000;
    private static final CsvMapper CSV = new CsvMapper();

    @Inject
    CaseService cases;

    @Inject
    EntityService entities;

    /**
     * {@code localEntityId} set: every row becomes a local case of that entity (an entity adding its own cases), a
     * draft without a public counter until a case manager reviews and activates it.
     */
    @Transactional
    public List<CaseFile> importCases(String campaignId, Reader csv, String localEntityId) {
        List<CaseFile> created = new ArrayList<>();
        int line = 1;
        for (Map<String, String> row : rows(csv)) {
            line++;
            String scope = localEntityId != null ? "local" : row.get("scope");
            if (localEntityId != null && row.get("scope") != null && !"local".equals(row.get("scope"))) {
                throw ProblemException.forbidden("line " + line + ": an entity may import only its own local cases");
            }
            if (localEntityId != null && row.get("status") != null && !row.get("status").isBlank()
                    && !"draft".equals(row.get("status").trim())) {
                throw ProblemException.forbidden("line " + line + ": an entity's cases start as drafts; a case manager "
                        + "activates them");
            }
            String country = row.get("country");
            try {
                Validation.noControlCharacters("country", country);
                Long goal = Validation.goal("goal", row.getOrDefault("goal", row.get("estimated_actions")), line);
                boolean byEntity = localEntityId != null;
                created.add(cases.create(new CaseService.CaseInput(row.get("case_id"), campaignId, row.get("name"),
                        row.get("iso2") != null ? row.get("iso2") : country,
                        row.getOrDefault("target_authority", country == null ? null : "Authorities of " + country),
                        scope, byEntity ? localEntityId : blankToNull(row.get("local_entity_id")), goal,
                        byEntity ? "draft" : row.getOrDefault("status", "active"), !byEntity)));
            } catch (ProblemException e) {
                throw atLine(e, line);
            }
        }
        return created;
    }

    @Transactional
    public List<ActionEntity> importEntities(Reader csv) {
        List<ActionEntity> created = new ArrayList<>();
        int line = 1;
        for (Map<String, String> row : rows(csv)) {
            line++;
            try {
                created.add(entities.create(new EntityService.EntityInput(row.get("entity_id"), row.get("name"),
                        blankToNull(row.get("country")), blankToNull(row.get("kind")))));
            } catch (ProblemException e) {
                throw atLine(e, line);
            }
        }
        return created;
    }

    private static List<Map<String, String>> rows(Reader csv) {
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv)) {
            List<Map<String, String>> rows = it.readAll();
            if (rows.size() > MAX_ROWS) {
                throw ProblemException.badRequest("at most " + MAX_ROWS + " rows per import");
            }
            return rows;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ProblemException p) {
                throw p;
            }
            throw ProblemException.badRequest("cannot read the CSV: " + e.getMessage());
        }
    }

    private static ProblemException atLine(ProblemException e, int line) {
        Problem p = e.problem();
        Problem withLine = new Problem(p.type(), p.title(), p.status(), "line " + line + ": " + p.detail(), p.instance(),
                p.extensions());
        return new ProblemException(withLine.with("line", line));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
