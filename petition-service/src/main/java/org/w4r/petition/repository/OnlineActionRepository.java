package org.w4r.petition.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import org.w4r.petition.model.OnlineAction;

import java.util.UUID;

/** Online actions other than signatures and messages, kept for audit and re-checks. */
@ApplicationScoped
public class OnlineActionRepository implements PanacheRepositoryBase<OnlineAction, UUID> {
}
