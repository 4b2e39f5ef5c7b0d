package org.w4r.petition.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.w4r.events.CampaignChanged;
import org.w4r.kit.problem.Problem;
import org.w4r.kit.problem.ProblemException;
import org.w4r.petition.repository.ErasureRepository;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Many items in one request and one transaction (entity back-ends syncing from their own tools). Every item is
 * checked first, so a refused item is answered with its problem and writes nothing, while the others are stored.
 */
@ApplicationScoped
public class BatchService {
    public static final int MAX_ITEMS = 1_000;

    @Inject
    SignatureService signatures;

    @Inject
    MessageService messages;

    @Inject
    OnlineActionService actions;

    @Inject
    OfflineCountService offlineCounts;

    @Inject
    RetentionService retention;

    @Inject
    ErasureRepository erasures;

    @Inject
    SignerHasher hasher;

    /**
     * One item: the caller's id and what it asks for, as its own endpoint's service takes it (a
     * {@link SignatureService.Signature}, {@link MessageService.NewMessage}, {@link OnlineActionService.NewAction},
     * {@link OfflineCountService.NewOfflineCount} or {@link OfflineCountService.NewCorrection}), or why it was already
     * refused.
     */
    public record Item(String id, Object request, Problem refused) {
    }

    /** An item's result ({@link Recorded}, or {@link OfflineCountService.Corrected}), or its problem. */
    public record ItemResult(String id, Object result, Problem problem) {
    }

    public record Results(int accepted, int refused, List<ItemResult> items) {
    }

    /** A checked item: its command, or the checked signature written with the others, or its problem. */
    private record Checked(String id, Command<?> command, SignatureService.Checked signature, Problem refused) {
    }

    /** Every item checked, then the command that writes those that passed. */
    public Command<Results> check(String entityId, List<Item> items) {
        List<Checked> checked = new ArrayList<>(items.size());
        for (Item item : items) {
            try {
                checked.add(item.refused() != null ? new Checked(item.id(), null, null, item.refused())
                        : item.request() instanceof SignatureService.Signature s
                        ? new Checked(item.id(), null, signatures.check(entityId, s), null)
                        : new Checked(item.id(), command(entityId, item.request()), null, null));
            } catch (ProblemException e) {
                checked.add(new Checked(item.id(), null, null, e.problem()));
            }
        }
        List<java.util.UUID> corrected = items.stream()
                .filter(i -> i.refused() == null && i.request() instanceof OfflineCountService.NewCorrection)
                .map(i -> ((OfflineCountService.NewCorrection) i.request()).offlineCountId()).toList();
        // the people whose signatures and messages it writes: their erasure locks are taken before any of them
        List<String> people = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (checked.get(i).signature() != null) {
                people.add(checked.get(i).signature().emailHmac());
            } else if (checked.get(i).command() != null && items.get(i).request() instanceof MessageService.NewMessage m
                    && m.authorEmail() != null) {
                people.add(hasher.hash(m.authorEmail()));
            }
        }
        return work -> {
            offlineCounts.lockInOrder(corrected); // before any item: one lock order for every batch
            // then the locks an erasure of these people takes exclusively, shared, in the one order every writer
            // takes them: taken as each message is written they would go in item order, and writers waiting for
            // erasures could wait for each other in a cycle
            erasures.lockShared(people);
            List<ItemResult> results = new ArrayList<>(checked.size());
            // signatures are checked in order, but written together at the end in one round trip
            List<Integer> signatureItems = new ArrayList<>();
            List<SignatureService.Checked> pending = new ArrayList<>();
            int accepted = 0;
            Set<String> open = new HashSet<>();
            for (Checked c : checked) {
                if (c.refused() != null) {
                    results.add(new ItemResult(c.id(), null, c.refused()));
                    continue;
                }
                if (c.signature() != null) {
                    try {
                        requireNotRetired(c.signature(), open);
                    } catch (ProblemException e) {
                        results.add(new ItemResult(c.id(), null, retryLaterFails(e))); // nothing written for it yet
                        continue;
                    }
                    signatureItems.add(results.size());
                    pending.add(c.signature());
                    results.add(null);
                    accepted++;
                    continue;
                }
                try {
                    results.add(new ItemResult(c.id(), c.command().apply(work), null));
                    accepted++;
                } catch (ProblemException e) {
                    // found before its command wrote anything
                    results.add(new ItemResult(c.id(), null, retryLaterFails(e)));
                }
            }
            List<Recorded> written = signatures.writeAll(work, pending);
            for (int i = 0; i < signatureItems.size(); i++) {
                int at = signatureItems.get(i);
                results.set(at, new ItemResult(checked.get(at).id(), written.get(i), null));
            }
            return new Results(accepted, results.size() - accepted, results);
        };
    }

    /**
     * An item's refusal, unless it asks for the same request again later (a 5xx: a retention run under way): then the
     * whole batch fails with it, nothing stored. A batch's answer is kept under its Idempotency-Key, so an item's "send
     * it again" inside a stored 200 was replayed to every retry for as long as the key is kept (a review of 6 December
     * 2026).
     */
    private static Problem retryLaterFails(ProblemException e) {
        if (e.problem().status() >= 500) {
            throw e;
        }
        return e.problem();
    }

    /**
     * As a single signature asks ({@link SignatureService#requireNotRetired}), once per campaign of the batch: a
     * campaign found not anonymised ({@code open}) stays so until the transaction ends, as it holds off its runs.
     */
    private void requireNotRetired(SignatureService.Checked signature, Set<String> open) throws SQLException {
        for (CampaignChanged campaign : signature.campaigns().values()) {
            if (!open.contains(campaign.campaignId())) {
                retention.requireNotRetiredYet(campaign);
                open.add(campaign.campaignId());
            }
        }
    }

    private Command<?> command(String entityId, Object request) {
        if (request instanceof MessageService.NewMessage m) {
            return messages.check(entityId, m);
        }
        if (request instanceof OnlineActionService.NewAction a) {
            return actions.check(entityId, a);
        }
        if (request instanceof OfflineCountService.NewOfflineCount o) {
            return offlineCounts.check(entityId, o);
        }
        if (request instanceof OfflineCountService.NewCorrection c) {
            return offlineCounts.correct(entityId, c);
        }
        throw new IllegalArgumentException("not a batch item: " + request);
    }
}
