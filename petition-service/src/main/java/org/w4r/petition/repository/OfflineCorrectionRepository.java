package org.w4r.petition.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import org.w4r.petition.model.OfflineCorrection;

import java.util.UUID;

/** The corrections of offline counts; read through {@link OfflineCountRepository}. */
@ApplicationScoped
public class OfflineCorrectionRepository implements PanacheRepositoryBase<OfflineCorrection, UUID> {
}
