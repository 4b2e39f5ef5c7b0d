package org.w4r.cases.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import org.w4r.cases.service.CaseService;
import org.w4r.cases.service.EntityService;
import org.w4r.cases.service.ImportLine;
import org.w4r.cases.service.ImportPreview;
import org.w4r.kit.csv.CsvRows;
import org.w4r.kit.problem.ProblemException;
import org.w4r.kit.validation.Violations;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.function.Function;

/**
 * An imported file's rows as the requests they stand for: each row is checked like the same JSON request would be
 * (the one 400 invalid-field, plus the row's {@code line}) before any is stored.
 */
@ApplicationScoped
public class CsvImport {
    static final String MEDIA_TYPE = "text/csv";
    static final int MAX_ROWS = 10_000;

    @Inject
    Validator validator;

    List<ImportLine<CaseService.CaseInput>> cases(String csv, String campaignId) {
        return read(csv, row -> Violations.check(validator, CaseRequest.of(row, campaignId)).command());
    }

    List<ImportLine<EntityService.EntityInput>> entities(String csv) {
        return read(csv, row -> Violations.check(validator, EntityResource.EntityRequest.of(row)).command());
    }

    /** Every row, each with its command or why its shape was refused, for a dry run (nothing stops at a bad row). */
    List<ImportPreview.Candidate<CaseService.CaseInput>> casesToCheck(String csv, String campaignId) {
        return candidates(csv, "case_id", row -> Violations.check(validator, CaseRequest.of(row, campaignId)).command());
    }

    List<ImportPreview.Candidate<EntityService.EntityInput>> entitiesToCheck(String csv) {
        return candidates(csv, "entity_id", row -> Violations.check(validator, EntityResource.EntityRequest.of(row)).command());
    }

    private static <T> List<ImportPreview.Candidate<T>> candidates(String csv, String idColumn,
                                                                   Function<CsvRows.Row, T> command) {
        return rows(csv).stream().map(row -> {
            try {
                return new ImportPreview.Candidate<>(row.line(), row.get(idColumn),
                        ImportLine.at(row.line(), () -> command.apply(row)), null);
            } catch (ProblemException e) {
                return new ImportPreview.Candidate<T>(row.line(), row.get(idColumn), null, e.problem());
            }
        }).toList();
    }

    private static <T> List<ImportLine<T>> read(String csv, Function<CsvRows.Row, T> command) {
        return rows(csv).stream().map(row -> new ImportLine<>(row.line(), ImportLine.at(row.line(), () -> command.apply(row))))
                .toList();
    }

    private static List<CsvRows.Row> rows(String csv) {
        if (csv == null || csv.isBlank()) {
            throw ProblemException.badRequest("the file is empty: a header row and one row per record are expected");
        }
        // bytes that are not UTF-8 were read as U+FFFD (the body, and the staff UI's file.text(), decode as UTF-8): a
        // file saved by a spreadsheet as Windows-1252 imported "Gática" as "G\uFFFDtica", published and printed on
        // packs as "G?tica", its dry run saying nothing (a read-only review, 8 December 2026)
        if (csv.indexOf('\uFFFD') >= 0) {
            throw ProblemException.badRequest("the file is not UTF-8 text (an accented letter could not be read): save "
                    + "it as \"CSV UTF-8\" and send it again; nothing was imported");
        }
        List<CsvRows.Row> rows;
        try {
            rows = CsvRows.read(new StringReader(csv));
        } catch (IOException | RuntimeException e) {
            throw ProblemException.badRequest("cannot read the CSV: " + e.getMessage());
        }
        if (rows.size() > MAX_ROWS) {
            throw ProblemException.badRequest("at most " + MAX_ROWS + " rows per import");
        }
        return rows;
    }
}
