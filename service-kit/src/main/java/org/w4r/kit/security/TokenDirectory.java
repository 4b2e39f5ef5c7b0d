package org.w4r.kit.security;

import java.util.Optional;

/** Finds the caller a token belongs to, by the token's SHA-256. */
public interface TokenDirectory {
    Optional<Caller> findBySha256(String sha256);
}
