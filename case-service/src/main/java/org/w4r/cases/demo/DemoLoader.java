package org.w4r.cases.demo;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.w4r.cases.model.ActionEntity;
import org.w4r.cases.model.Campaign;
import org.w4r.cases.service.CampaignService;
import org.w4r.cases.service.CaseService;
import org.w4r.cases.service.CredentialService;
import org.w4r.cases.service.EntityService;
import org.w4r.kit.csv.CsvRows;
import org.w4r.kit.demo.DemoShare;
import org.w4r.kit.messaging.Failures;
import org.w4r.kit.security.Credentials;
import org.w4r.kit.security.Roles;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Demo data from the 2020 campaign report: one campaign open now with the ten global cases, the 59 reporting
 * entities and a catch-all entity, plus demo credentials written to a CSV file for people to try the API with.
 * Loaded once into an empty database (see {@link DemoShare}).
 */
@Singleton
public class DemoLoader implements DemoShare {
    private static final Logger LOG = Logger.getLogger(DemoLoader.class);
    public static final String HELD_CASE = "paing-phyo-min";
    static final List<String> CREDENTIALS_HEADER = List.of("principal", "role", "entity_id", "token");

    @ConfigProperty(name = "w4r.demo.credentials-file")
    Optional<Path> credentialsFile;

    /** The kit's setting ({@code DemoStart} loads the demo when it is on). */
    @ConfigProperty(name = "w4r.demo.enabled", defaultValue = "false")
    boolean demoEnabled;

    @Inject
    CredentialService credentials;

    @Inject
    CampaignService campaigns;

    @Inject
    EntityService entities;

    @Inject
    CaseService cases;

    @Override
    public void loadDemo() {
        loadOnce();
        credentialsFile.ifPresent(this::loadCredentials);
    }

    @Transactional
    void loadOnce() {
        if (Campaign.findById(CAMPAIGN_ID) != null) {
            return;
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        campaigns.create(new CampaignService.CampaignInput(CAMPAIGN_ID, "Write for Rights (demo with the 2020 cases)",
                today.minusDays(30).atStartOfDay().toInstant(ZoneOffset.UTC),
                today.plusDays(120).atStartOfDay().toInstant(ZoneOffset.UTC), true));
        List<CsvRows.Row> entityRows = DemoShare.rows(DemoLoader.class, "entities.csv");
        for (CsvRows.Row row : entityRows) {
            // the country of each entity (added to the report's file) is where the world map puts its actions
            this.entities.create(new EntityService.EntityInput(row.get("entity_id"), row.get("name"), row.get("country"),
                    "section"));
        }
        this.entities.create(new EntityService.EntityInput(ActionEntity.CATCH_ALL_ID,
                "International members and entities that did not report", null, "catch-all"));
        List<CsvRows.Row> caseRows = DemoShare.rows(DemoLoader.class, "cases.csv");
        for (CsvRows.Row row : caseRows) {
            // the report's estimated actions become the case's goal
            this.cases.create(new CaseService.CaseInput(row.get("case_id"), CAMPAIGN_ID, row.get("name"), row.get("iso2"),
                    "Authorities of " + row.get("country"), "global", null, Long.valueOf(row.get("estimated_actions")),
                    "active", true));
        }
        // as on 1 February 2021: every delivery for Paing Phyo Min held to protect him, his family and partners
        this.cases.placeHold(HELD_CASE, "Military coup in Myanmar (1 February 2021): all deliveries of petitions "
                + "and letters held to protect the rights holder, his family and partners", "demo-case-manager");
        LOG.infof("demo data loaded: campaign %s, %d cases, %d entities + catch-all, %s on hold",
                CAMPAIGN_ID, caseRows.size(), entityRows.size(), HELD_CASE);
    }

    /**
     * With the demo off, its credentials go: before the start-up snapshot (a later priority), so it announces none of
     * them. Until 4 December 2026 turning the demo off only stopped loading it: its tokens (a case manager's that can
     * mint more among them) had no expiry, the snapshot announced them again at every start, and their secrets stayed
     * on disk, so they worked for ever (found reading the code).
     */
    void retireWhenOff(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) StartupEvent event) {
        if (!demoEnabled) {
            retireCredentials();
        }
    }

    /**
     * Revokes every credential the demo registered, through the revocation's own steps (audited, a tombstone each),
     * then deletes the credentials file, whose secrets open nothing from then on; a demo turned on again writes a new
     * one. Returns how many were revoked.
     */
    public int retireCredentials() {
        Optional<Path> file = credentialsFile.filter(Files::exists);
        int revoked = credentials.revokeDemo(file.map(DemoLoader::hashes).orElse(List.of()));
        LOG.infof("demo off: %d demo credentials revoked", revoked);
        file.ifPresent(f -> {
            try {
                Files.delete(f);
                LOG.infof("demo off: deleted the demo credentials file %s", f);
            } catch (IOException e) {
                LOG.warnf("demo off: cannot delete the demo credentials file %s (%s); its credentials are revoked", f,
                        Failures.describe(e));
            }
        });
        return revoked;
    }

    /** The SHA-256 of every token in the file: the secrets themselves go no further than this method. */
    private static List<String> hashes(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CsvRows.read(in).stream().map(row -> row.get("token")).filter(t -> t != null && !t.isBlank())
                    .map(Credentials::sha256).toList();
        } catch (IOException | RuntimeException e) {
            // unreadable: the demo's own mark on its credentials (V7) still finds them
            LOG.warnf("demo off: cannot read the demo credentials file %s (%s)", file, Failures.describe(e));
            return List.of();
        }
    }

    /** Registers the credentials in the file, or creates the file with fresh ones. */
    void loadCredentials(Path file) {
        try {
            if (!Files.exists(file)) {
                writeNewCredentials(file);
            }
            int added = 0;
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (CsvRows.Row row : CsvRows.read(in)) {
                    if (credentials.register(row.get("principal"), row.get("role"), row.get("entity_id"), row.get("token"))) {
                        added++;
                    }
                }
            }
            LOG.infof("demo credentials from %s: %d new", file, added);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write demo credentials " + file, e);
        }
    }

    @Transactional
    void writeNewCredentials(Path file) throws IOException {
        // plain lines, never quoted: scripts and tests read this file with a split on ','; every cell is an id, a
        // role or a base64url secret, so none needs quoting
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", CREDENTIALS_HEADER));
        for (ActionEntity entity : ActionEntity.<ActionEntity>list("order by id")) {
            lines.add(String.join(",", entity.id, Roles.ENTITY, entity.id, Credentials.newSecret()));
        }
        for (String role : List.of(Roles.COORDINATOR, Roles.CASE_MANAGER, Roles.DELIVERY, Roles.MODERATOR)) {
            lines.add(String.join(",", "demo-" + role, role, "", Credentials.newSecret()));
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            // created owner-only, before a secret is written: set afterwards, the file was readable by every local user
            // (umask 022) between the write and the change (a read-only review, 8 December 2026)
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file);
    }
}
