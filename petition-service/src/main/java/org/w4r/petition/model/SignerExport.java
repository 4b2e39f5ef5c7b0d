package org.w4r.petition.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A signer list, or a page of approved messages with their authors ({@code kind} {@code messages}), that left this
 * service: who took it, of which case and entity ({@code entityId} absent: every entity's), up to when, how many names
 * (never a name). {@code erasure}, once signers or authors of the case were erased after it was taken: the copy holds
 * erased names and must be destroyed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignerExport(long exportId, String caseId, String entityId, Instant cutoff, String exportedBy,
                           Instant exportedAt, int signers,
                           @org.eclipse.microprofile.openapi.annotations.media.Schema(enumeration = {"signers", "messages"})
                           String kind, Erasure erasure) {

    /** The erasures of the case applied after the export, and before when its copies were taken. */
    public record Erasure(long erasures, Instant lastErasedAt, Instant destroyCopiesTakenBefore) {
    }
}
