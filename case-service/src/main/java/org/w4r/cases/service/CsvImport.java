package org.w4r.cases.service;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.CaseFile;
import org.w4r.kit.problem.ProblemException;

import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads cases and entities from CSV in the format of the 2020 report's figures
 * ({@code case_id,name,country,iso2,estimated_actions} and {@code entity_id,name,reported_actions}).
 * Optional columns: {@code target_authority}, {@code scope}, {@code local_entity_id}, {@code goal},
 * {@code status}; entities {@code country}, {@code kind}.
 */
@ApplicationScoped
public class CsvImport {
    public static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");
    private static final CsvMapper CSV = new CsvMapper();

    @Transactional
    public List<CaseFile> importCases(String campaignId, Reader csv) {
        List<CaseFile> created = new ArrayList<>();
        Instant now = Instant.now();
        for (Map<String, String> row : rows(csv)) {
            CaseFile c = new CaseFile();
            c.id = slug(required(row, "case_id"));
            c.campaignId = campaignId;
            c.name = required(row, "name");
            c.country = required(row, "iso2").toUpperCase(Locale.ROOT);
            c.targetAuthority = row.getOrDefault("target_authority",
                    "Authorities of " + row.getOrDefault("country", c.country));
            c.scope = row.getOrDefault("scope", "global");
            c.localEntityId = blankToNull(row.get("local_entity_id"));
            String goal = row.getOrDefault("goal", row.get("estimated_actions"));
            c.goal = goal == null || goal.isBlank() ? null : Long.parseLong(goal.trim());
            c.status = row.getOrDefault("status", "active");
            c.publicCounter = true;
            c.changedAt = now;
            if (CaseFile.findById(c.id) != null) {
                throw ProblemException.conflict("duplicate-id", "Duplicate case", "case '" + c.id + "' exists already");
            }
            c.persist();
            created.add(c);
        }
        return created;
    }

    @Transactional
    public List<ActionEntity> importEntities(Reader csv) {
        List<ActionEntity> created = new ArrayList<>();
        Instant now = Instant.now();
        for (Map<String, String> row : rows(csv)) {
            ActionEntity e = new ActionEntity();
            e.id = slug(required(row, "entity_id"));
            e.name = required(row, "name");
            e.country = blankToNull(row.get("country"));
            e.kind = row.getOrDefault("kind", "section");
            e.changedAt = now;
            if (ActionEntity.findById(e.id) != null) {
                throw ProblemException.conflict("duplicate-id", "Duplicate entity", "entity '" + e.id + "' exists already");
            }
            e.persist();
            created.add(e);
        }
        return created;
    }

    private static List<Map<String, String>> rows(Reader csv) {
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv)) {
            return it.readAll();
        } catch (IOException | RuntimeException e) {
            throw ProblemException.badRequest("cannot read the CSV: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid(column, "column '" + column + "' is missing or empty in " + row);
        }
        return value.trim();
    }

    private static String slug(String id) {
        if (!SLUG.matcher(id).matches()) {
            throw ProblemException.invalid("id", "'" + id + "' is not a slug (lower-case letters, digits, '-')");
        }
        return id;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
