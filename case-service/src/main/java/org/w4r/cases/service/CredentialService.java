package org.w4r.cases.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.w4r.cases.model.Credential;
import org.w4r.kit.security.Credentials;

import java.time.Instant;

/** Issues entity API keys and staff tokens; the secret is returned once and only its hash is kept. */
@ApplicationScoped
public class CredentialService {

    /** Stores a credential for a secret the caller already holds (demo credentials); returns false if known. */
    @Transactional
    public boolean register(String principal, String role, String entityId, String secret) {
        String hash = Credentials.sha256(secret);
        if (Credential.count("sha256", hash) > 0) {
            return false;
        }
        Credential credential = new Credential();
        credential.keyId = Credentials.newKeyId();
        credential.sha256 = hash;
        credential.principal = principal;
        credential.role = role;
        credential.entityId = entityId;
        credential.createdAt = Instant.now();
        credential.persist();
        return true;
    }
}
