package org.w4r.kit.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.jboss.jandex.Index;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A marked record's schema requires its components in their order, but the nullable ones; nothing else is touched. */
class RequiredComponentsTest {
    @RequiredUnlessNullable
    @Schema(name = "Answer")
    record AnswerView(UUID id, @Schema(nullable = true) String note, long count) {
    }

    @RequiredUnlessNullable
    record Maybe(@Schema(nullable = true) String note) {
    }

    @Test
    void everyComponentButTheNullableOnesIsRequired() throws IOException {
        org.eclipse.microprofile.openapi.models.media.Schema answer = schema("id", "note", "count");
        org.eclipse.microprofile.openapi.models.media.Schema other = schema("id", "note");
        org.eclipse.microprofile.openapi.models.media.Schema maybe = schema("note");
        OpenAPI document = document().components(OASFactory.createComponents()
                .addSchema("Answer", answer).addSchema("AnswerView", other).addSchema("Maybe", maybe));
        new RequiredComponents(Index.of(AnswerView.class, Maybe.class)).filterOpenAPI(document);
        assertEquals(List.of("id", "count"), answer.getRequired());
        assertNull(other.getRequired());
        assertNull(maybe.getRequired());
    }

    @Test
    void aSchemaOfOtherPropertiesUnderTheRecordsNameIsRefused() {
        OpenAPI document = document().components(OASFactory.createComponents().addSchema("Answer", schema("id", "note")));
        assertThrows(IllegalStateException.class,
                () -> new RequiredComponents(Index.of(AnswerView.class)).filterOpenAPI(document));
    }

    @Test
    void aRecordTheDocumentDoesNotAnswerWithIsLeftOut() throws IOException {
        org.eclipse.microprofile.openapi.models.media.Schema other = schema("id");
        OpenAPI document = document().components(OASFactory.createComponents().addSchema("Other", other));
        new RequiredComponents(Index.of(AnswerView.class)).filterOpenAPI(document);
        assertEquals(List.of("Other"), List.copyOf(document.getComponents().getSchemas().keySet()));
        assertNull(other.getRequired());
    }

    private static OpenAPI document() {
        return OASFactory.createOpenAPI();
    }

    private static org.eclipse.microprofile.openapi.models.media.Schema schema(String... properties) {
        org.eclipse.microprofile.openapi.models.media.Schema schema = OASFactory.createSchema();
        for (String property : properties) {
            schema.addProperty(property, OASFactory.createSchema());
        }
        return schema;
    }
}
