package org.w4r.delivery.service;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

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

/**
 * Lays out a delivery pack as a plain PDF: headings, text lines and wrapped paragraphs, on as many A4 pages as needed.
 * The output depends only on its input (fixed dates and document id), so the same pack gives the same SHA-256.
 */
final class PackPdf implements AutoCloseable {
    private static final float MARGIN = 50;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;

    private final PDDocument document = new PDDocument();
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
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

    void heading(String text) {
        space(8);
        line(bold, 13, text);
        space(2);
    }

    void text(String text) {
        line(regular, 10, text);
    }

    void field(String name, String value) {
        paragraph(name + ": " + (value == null || value.isBlank() ? "-" : value));
    }

    void space(float points) {
        y -= points;
    }

    /** Wrapped to the page width; line breaks in the text are kept. */
    void paragraph(String text) {
        for (String part : (text == null ? "" : text).split("\\R")) {
            for (String wrapped : wrap(clean(part), regular, 10)) {
                line(regular, 10, wrapped);
            }
        }
    }

    byte[] finish() {
        try {
            if (page != null) {
                page.close();
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

    private void line(PDType1Font font, float size, String text) {
        float leading = size * 1.4f;
        try {
            if (page == null || y - leading < MARGIN) {
                newPage();
            }
            y -= leading;
            page.beginText();
            page.setFont(font, size);
            page.newLineAtOffset(MARGIN, y);
            page.showText(clean(text));
            page.endText();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the delivery pack", e);
        }
    }

    private void newPage() throws IOException {
        if (page != null) {
            page.close();
        }
        PDPage next = new PDPage(PDRectangle.A4);
        document.addPage(next);
        page = new PDPageContentStream(document, next);
        y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private List<String> wrap(String text, PDType1Font font, float size) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = current.isEmpty() ? word : current + " " + word;
            if (width(candidate, font, size) <= WIDTH || current.isEmpty()) {
                current.setLength(0);
                current.append(candidate);
            } else {
                lines.add(current.toString());
                current.setLength(0);
                current.append(word);
            }
            while (width(current.toString(), font, size) > WIDTH && current.length() > 1) {
                int cut = Math.max(1, (int) (current.length() * WIDTH / width(current.toString(), font, size)) - 1);
                lines.add(current.substring(0, cut));
                current.delete(0, cut);
            }
        }
        lines.add(current.toString());
        return lines;
    }

    private static float width(String text, PDType1Font font, float size) {
        try {
            return font.getStringWidth(text) / 1000 * size;
        } catch (IOException | IllegalArgumentException e) {
            return text.length() * size * 0.6f;
        }
    }

    /** Keeps what the standard font can show: other characters become '?', control characters a space. */
    private String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
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
