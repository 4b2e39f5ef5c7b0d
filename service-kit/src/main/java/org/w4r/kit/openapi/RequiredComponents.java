package org.w4r.kit.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.RecordComponentInfo;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The {@code required} list of each {@link RequiredUnlessNullable} record's schema: its components in their order, but
 * those marked {@code @Schema(nullable = true)}. Read from the records themselves (the Jandex index), because the model
 * does not say which class a schema was made from. At build time, so the stored document (from which the clients are
 * generated) says it too.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class RequiredComponents implements OASFilter {
    private static final DotName MARK = DotName.createSimple(RequiredUnlessNullable.class);
    private static final DotName SCHEMA = DotName.createSimple(org.eclipse.microprofile.openapi.annotations.media.Schema.class);

    private final IndexView index;

    public RequiredComponents(IndexView index) {
        this.index = index;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents() == null ? null : openAPI.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        for (AnnotationInstance mark : index.getAnnotations(MARK)) {
            ClassInfo record = mark.target().asClass();
            Schema schema = schemas.get(schemaName(record));
            if (schema != null) { // a record of the kit's that this service does not answer with
                require(schema, record);
            }
        }
    }

    /** The name the scanner gives the record's schema: its own {@code @Schema(name)}, or its simple name. */
    static String schemaName(ClassInfo type) {
        AnnotationInstance schema = type.declaredAnnotation(SCHEMA);
        AnnotationValue name = schema == null ? null : schema.value("name");
        return name == null ? type.simpleName() : name.asString();
    }

    static void require(Schema schema, ClassInfo record) {
        // in the order declared, as the scanner lists properties (Jandex's recordComponents() sorts them by name)
        List<String> components = record.isRecord()
                ? record.unsortedRecordComponents().stream().map(RecordComponentInfo::name).toList() : List.of();
        Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
        if (components.isEmpty() || !new HashSet<>(components).equals(properties.keySet())) {
            // another class's schema under the same name (the scanner then numbers one), or not a record at all
            throw new IllegalStateException("@RequiredUnlessNullable " + record.name() + ": the schema '"
                    + schemaName(record) + "' has the properties " + properties.keySet() + ", not the record's components "
                    + components + "; give the record a @Schema(name) of its own");
        }
        List<String> required = components.stream().filter(c -> !nullable(record, c)).toList();
        schema.setRequired(required.isEmpty() ? null : required);
    }

    private static boolean nullable(ClassInfo record, String component) {
        AnnotationInstance schema = record.field(component).annotation(SCHEMA);
        AnnotationValue nullable = schema == null ? null : schema.value("nullable");
        return nullable != null && nullable.asBoolean();
    }
}
