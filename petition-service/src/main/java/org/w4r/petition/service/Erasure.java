package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * A signer's request to be forgotten: their name and country are removed from every signature; the keyed hash
 * stays, so they still count once and cannot be counted twice. Counts do not change.
 */
@ApplicationScoped
public class Erasure {
    @Inject
    EntityManager em;

    @Inject
    SignerHasher hasher;

    @Transactional
    public int erase(String email) {
        Inputs.text("email", email, 254);
        return em.createNativeQuery("""
                        update signature set name = null, country = null, show_name = false, contact_me = false
                        where email_hmac = ?1""")
                .setParameter(1, hasher.hash(email)).executeUpdate();
    }
}
