package org.w4r.delivery.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.w4r.delivery.model.ApprovedMessage;
import org.w4r.delivery.model.Signer;
import org.w4r.delivery.service.Csv;
import org.w4r.delivery.service.PetitionDirectory;
import org.w4r.delivery.service.UnavailableException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Calls petition-service with the caller's own token, so it applies its own authorisation to the export. */
@ApplicationScoped
public class RestPetitionDirectory implements PetitionDirectory {
    private static final Logger LOG = Logger.getLogger(RestPetitionDirectory.class);

    /** petition-service's largest page; it has no paging yet, so a pack holds at most this many messages. */
    static final int MAX_MESSAGES = 1000;

    @Inject
    @RestClient
    PetitionClient client;

    @Override
    public List<Signer> signers(String caseId, Instant until, String authorization) {
        String csv = call("signer list", () -> client.signersCsv(caseId, until.toString(), authorization));
        List<List<String>> rows = Csv.parse(csv == null ? "" : csv);
        List<Signer> signers = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (!row.isEmpty() && !row.get(0).isBlank()) {
                signers.add(new Signer(row.get(0), row.size() > 1 ? row.get(1) : ""));
            }
        }
        return signers;
    }

    @Override
    public List<ApprovedMessage> approvedMessages(String caseId, String authorization) {
        List<ApprovedMessage> messages = call("approved messages", () -> client.messages(caseId, "approved", MAX_MESSAGES, authorization));
        return messages == null ? List.of() : messages;
    }

    private static <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (RuntimeException e) {
            // connection refused, timeout, or an error status: in every case the pack cannot be complete
            LOG.warnf("petition-service could not serve the %s: %s", what, e.getMessage());
            throw new UnavailableException("petition-service-unavailable", "petition-service unavailable",
                    "the " + what + " for the delivery pack could not be fetched from petition-service; try again shortly", 10);
        }
    }
}
