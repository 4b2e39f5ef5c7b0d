package org.w4r.cases.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.w4r.cases.service.ImportPreview;
import org.w4r.kit.problem.Problem;

import java.util.List;

/** The answer to an import with {@code ?dryRun=true}: what each line would do; nothing was written. */
@Schema(description = "A dry run: every line checked, nothing stored, published or audited")
public record ImportPreviewView(
        @Schema(description = "always true: nothing was written") boolean dryRun,
        @Schema(description = "lines read (the header not counted)") int lines,
        @Schema(description = "lines the import would refuse; 0: importing the file without dryRun would store every line")
        int refused,
        List<Line> results) {

    public record Line(long line, @Schema(nullable = true, description = "the id the line names") String id,
                       @Schema(enumeration = {"ok", "refused"}) String status,
                       @JsonInclude(JsonInclude.Include.NON_NULL)
                       @Schema(description = "absent when the line is fine; else why it would be refused (the problem the import "
                               + "would answer, naming the line)", type = SchemaType.OBJECT) Problem problem) {
    }

    static ImportPreviewView of(List<ImportPreview.Outcome> outcomes) {
        List<Line> lines = outcomes.stream().map(o -> new Line(o.line(), o.id(), o.problem() == null ? "ok" : "refused",
                o.problem())).toList();
        return new ImportPreviewView(true, lines.size(), (int) lines.stream().filter(l -> l.problem() != null).count(),
                lines);
    }
}
