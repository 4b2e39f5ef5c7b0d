package org.w4r.kit.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On an answer's record: every component is always there, and in the OpenAPI document it is required unless it says
 * {@code @Schema(nullable = true)}. {@link RequiredComponents} writes the schema's {@code required} list from it, so the
 * record does not say {@code @Schema(required = true)} on each component (a client generated from the document then
 * types them as never missing).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RequiredUnlessNullable {
}
