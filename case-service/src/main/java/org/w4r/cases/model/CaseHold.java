package org.w4r.cases.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One safety hold of a case, open until lifted. */
@Entity
@Table(name = "case_hold")
public class CaseHold extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String caseId;
    public String reason;
    public String placedBy;
    public Instant placedAt;
    public String liftedBy;
    public Instant liftedAt;

    public static Optional<CaseHold> open(String caseId) {
        return find("caseId = ?1 and liftedAt is null", caseId).firstResultOptional();
    }

    public static List<CaseHold> history(String caseId) {
        return list("caseId = ?1 order by placedAt, id", caseId);
    }
}
