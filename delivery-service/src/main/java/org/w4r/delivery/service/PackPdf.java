package org.w4r.delivery.service;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Lays out a delivery pack on A4 pages with PDFBox (Apache-2.0, kept by the Apache PDFBox project; also what the test
 * renders the pages with): wrapped text, a total in large type, tables with the counts right-aligned, a list in
 * columns, and "page n of m" on every page. The standard Helvetica fonts are not embedded, so the output depends only
 * on its input (fixed dates and document id): the same pack gives the same SHA-256.
 */
final class PackPdf implements AutoCloseable {
    static final float MARGIN = 50;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private static final float TOP = PDRectangle.A4.getHeight() - MARGIN;
    /** Room kept at the bottom for the page number. */
    private static final float BOTTOM = MARGIN + 20;
    private static final Color ACCENT = new Color(0x1a, 0x1a, 0x1a);
    private static final Color MUTED = new Color(0x55, 0x55, 0x55);

    /**
     * Page content kept in a temporary file, not on the heap: a list of 400,000 names is thousands of pages (read-only
     * audit, 4 December 2026). Deleted when the document is closed; /tmp is writable in the container.
     */
    private final PDDocument document = new PDDocument(IOUtils.createTempFileOnlyStreamCache());
    final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private final Map<Integer, Boolean> encodable = new HashMap<>();
    private PDPageContentStream page;
    private float y;

    PackPdf(String title, UUID documentId, Instant created) {
        PDDocumentInformation info = document.getDocumentInformation();
        info.setTitle(clean(title));
        info.setCreator("w4r delivery-service");
        Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        calendar.setTimeInMillis(created.toEpochMilli());
        info.setCreationDate(calendar);
        ByteBuffer id = ByteBuffer.allocate(16).putLong(documentId.getMostSignificantBits())
                .putLong(documentId.getLeastSignificantBits());
        COSArray ids = new COSArray();
        ids.add(new COSString(id.array()));
        ids.add(new COSString(id.array()));
        document.getDocument().getTrailer().setItem(COSName.ID, ids);
    }

    /** Starts a new page, even if the current one has room (the cover, the signers). */
    void newPage() {
        try {
            if (page != null) {
                page.close();
            }
            PDPage next = new PDPage(PDRectangle.A4);
            document.addPage(next);
            page = new PDPageContentStream(document, next);
            y = TOP;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the delivery pack", e);
        }
    }

    void space(float points) {
        y -= points;
    }

    /** Wrapped to the page width; line breaks in the text are kept. */
    void paragraph(PDType1Font font, float size, Color color, String text) {
        for (String part : (text == null ? "" : text).split("\\R")) {
            for (String wrapped : wrap(clean(part), font, size, WIDTH)) {
                line(font, size, color, MARGIN, wrapped);
            }
        }
    }

    void paragraph(String text) {
        paragraph(regular, 10, ACCENT, text);
    }

    void heading(String text) {
        room(60);
        space(10);
        paragraph(bold, 14, ACCENT, text);
        space(4);
    }

    /** A label above its value, as on the cover. */
    void field(String label, String value) {
        room(40);
        paragraph(regular, 9, MUTED, label);
        paragraph(bold, 12, ACCENT, value == null || value.isBlank() ? "-" : value);
        space(6);
    }

    /** The total, in type large enough to read across a table. */
    void total(String number, String caption) {
        room(110);
        space(10);
        line(bold, 56, ACCENT, MARGIN, number);
        space(4);
        paragraph(regular, 12, ACCENT, caption);
    }

    /** Rows of a label and a count, the counts right-aligned; a rule under the header. */
    void table(String header, String countHeader, List<Map.Entry<String, String>> rows) {
        room(40);
        line(bold, 10, MUTED, MARGIN, header);
        rightAligned(bold, 10, MUTED, countHeader);
        rule();
        for (Map.Entry<String, String> row : rows) {
            room(16);
            String label = fit(clean(row.getKey()), regular, 10, WIDTH - 100);
            line(regular, 10, ACCENT, MARGIN, label);
            rightAligned(regular, 10, ACCENT, row.getValue());
        }
        space(6);
    }

    /**
     * Items filled down {@code columns} columns, page after page; every page after the first of the list starts
     * with {@code continued} as its heading. Items too wide for their column are cut with an ellipsis.
     */
    void columns(String heading, String continued, List<String> items, int columns) {
        float size = 9, leading = size * 1.45f, gap = 14;
        float columnWidth = (WIDTH - gap * (columns - 1)) / columns;
        int index = 0;
        boolean first = true;
        while (index < items.size()) {
            newPage();
            paragraph(bold, 14, ACCENT, first ? heading : continued);
            space(8);
            first = false;
            float top = y;
            int perColumn = Math.max(1, (int) ((top - BOTTOM) / leading));
            for (int column = 0; column < columns && index < items.size(); column++) {
                y = top;
                float x = MARGIN + column * (columnWidth + gap);
                for (int row = 0; row < perColumn && index < items.size(); row++) {
                    line(regular, size, ACCENT, x, fit(clean(items.get(index++)), regular, size, columnWidth));
                }
            }
        }
    }

    /** Writes "page n of m" (from {@code footer}) at the foot of every page, then the document. */
    byte[] finish(BiFunction<Integer, Integer, String> footer) {
        try {
            if (page != null) {
                page.close();
                page = null;
            }
            int pages = document.getNumberOfPages();
            for (int i = 0; i < pages; i++) {
                try (PDPageContentStream foot = new PDPageContentStream(document, document.getPage(i),
                        PDPageContentStream.AppendMode.APPEND, true)) {
                    String text = clean(footer.apply(i + 1, pages));
                    float width = width(text, regular, 9);
                    foot.beginText();
                    foot.setFont(regular, 9);
                    foot.setNonStrokingColor(MUTED);
                    foot.newLineAtOffset(MARGIN + (WIDTH - width) / 2, MARGIN - 10);
                    foot.showText(text);
                    foot.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the delivery pack", e);
        }
    }

    @Override
    public void close() {
        try {
            document.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new page unless {@code points} still fit above the foot. */
    private void room(float points) {
        if (page == null || y - points < BOTTOM) {
            newPage();
        }
    }

    private void line(PDType1Font font, float size, Color color, float x, String text) {
        float leading = size * 1.4f;
        if (page == null || y - leading < BOTTOM) {
            newPage();
        }
        y -= leading;
        show(font, size, color, x, y, text);
    }

    /** On the line just written, flush right. */
    private void rightAligned(PDType1Font font, float size, Color color, String text) {
        String shown = clean(text);
        show(font, size, color, MARGIN + WIDTH - width(shown, font, size), y, shown);
    }

    private void rule() {
        try {
            y -= 4;
            page.setStrokingColor(MUTED);
            page.setLineWidth(0.5f);
            page.moveTo(MARGIN, y);
            page.lineTo(MARGIN + WIDTH, y);
            page.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the delivery pack", e);
        }
    }

    private void show(PDType1Font font, float size, Color color, float x, float atY, String text) {
        try {
            page.beginText();
            page.setFont(font, size);
            page.setNonStrokingColor(color);
            page.newLineAtOffset(x, atY);
            page.showText(clean(text));
            page.endText();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the delivery pack", e);
        }
    }

    private String fit(String text, PDType1Font font, float size, float width) {
        if (width(text, font, size) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && width(cut + "…", font, size) > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }

    private List<String> wrap(String text, PDType1Font font, float size, float width) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = current.isEmpty() ? word : current + " " + word;
            if (width(candidate, font, size) <= width || current.isEmpty()) {
                current.setLength(0);
                current.append(candidate);
            } else {
                lines.add(current.toString());
                current.setLength(0);
                current.append(word);
            }
            while (width(current.toString(), font, size) > width && current.length() > 1) {
                int cut = Math.max(1, (int) (current.length() * width / width(current.toString(), font, size)) - 1);
                lines.add(current.substring(0, cut));
                current.delete(0, cut);
            }
        }
        lines.add(current.toString());
        return lines;
    }

    static float width(String text, PDType1Font font, float size) {
        try {
            return font.getStringWidth(text) / 1000 * size;
        } catch (IOException | IllegalArgumentException e) {
            return text.length() * size * 0.6f;
        }
    }

    /**
     * Keeps what the standard font can show: other characters become '?', control characters and the narrow and
     * no-break spaces (French digit groups) a space.
     */
    String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == 0x202F || cp == 0x00A0) {
                out.append(' ');
            } else if (encodable.computeIfAbsent(cp, this::canEncode)) {
                out.appendCodePoint(cp);
            } else {
                out.append('?');
            }
        });
        return out.toString();
    }

    private boolean canEncode(int codePoint) {
        try {
            regular.encode(new String(Character.toChars(codePoint)));
            bold.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
