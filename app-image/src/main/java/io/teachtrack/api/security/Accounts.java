package io.teachtrack.api.security;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.teachtrack.api.config.AppConfig;
import io.teachtrack.api.db.DatabaseRouter;
import io.teachtrack.api.db.Freshness;
import io.teachtrack.api.db.SchemaMigrations;
import io.teachtrack.api.db.SqlErrors;
import io.teachtrack.api.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;

/** Login accounts: bcrypt hashes, the first admin from {@code TEACHTRACK_ADMIN_PASSWORD}, and password checks. */
@ApplicationScoped
public class Accounts {

    private static final Logger LOG = Logger.getLogger(Accounts.class);
    public static final String ADMIN_USERNAME = "admin";
    /** A real hash to compare against when the user does not exist, so a wrong name costs as long as a wrong password. */
    private static final String DECOY_HASH = BcryptUtil.bcryptHash("not-a-password");

    private final DatabaseRouter db;
    private final AppConfig config;

    public Accounts(DatabaseRouter db, AppConfig config) {
        this.db = db;
        this.config = config;
    }

    /**
     * The admin account follows {@code TEACHTRACK_ADMIN_PASSWORD} (the credentials Secret's {@code admin-password}): it
     * is created on the first start, and a start with another password than the account's sets it (changing it in the
     * Secret rolls the pods, and this is how the change arrives).
     */
    void applyAdminPassword(@Observes SchemaMigrations.SchemaReady ready) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                applyAdminPassword();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot set up the admin user yet (attempt %d): %s", attempt, e.getMessage());
                Thread.sleep(Math.min(30_000L, 500L * attempt));
            }
        }
    }

    private void applyAdminPassword() {
        String password = config.adminPassword();
        Optional<String> current = db.read(null, Freshness.PRIMARY, handle -> handle.createQuery(
                "SELECT password_hash FROM users WHERE username = :username").bind("username", ADMIN_USERNAME).mapTo(String.class).findOne());
        if (current.isPresent() && BcryptUtil.matches(password, current.get())) {
            return;
        }
        String hash = BcryptUtil.bcryptHash(password);
        // Of many pods starting at once, one creates it (INSERT IGNORE), and of those that set it, one does (the stored
        // hash must still be the one they found). A pod of the previous rollout that restarts while the next one is
        // under way sets its older password again, until the next start; the operator's rollouts are short.
        int changed = db.write(handle -> current.isEmpty()
                ? handle.createUpdate("INSERT IGNORE INTO users (username, password_hash, role) VALUES (:username, :hash, :role)")
                        .bind("username", ADMIN_USERNAME).bind("hash", hash).bind("role", Role.admin.name()).execute()
                : handle.createUpdate("UPDATE users SET password_hash = :hash WHERE username = :username AND password_hash = :found")
                        .bind("hash", hash).bind("username", ADMIN_USERNAME).bind("found", current.get()).execute());
        if (changed == 1) {
            LOG.info(current.isEmpty() ? "created the admin user from TEACHTRACK_ADMIN_PASSWORD"
                    : "the admin password changed in TEACHTRACK_ADMIN_PASSWORD: the admin user now has it");
        }
    }

    public UserAccount authenticate(String username, String password) {
        Optional<UserAccount> account = db.read(null, Freshness.PRIMARY, handle -> handle.createQuery(
                        "SELECT id, username, password_hash, role, teacher_id, student_id FROM users WHERE username = :username")
                .bind("username", username).mapTo(UserAccount.class).findOne());
        boolean matches = BcryptUtil.matches(password, account.map(UserAccount::passwordHash).orElse(DECOY_HASH));
        if (account.isEmpty() || !matches) {
            throw ApiException.unauthorized("unknown user or wrong password");
        }
        return account.get();
    }

    public UserAccount create(NewUser user) {
        Long teacherId = user.role() == Role.teacher ? required(user.teacherId(), "teacherId") : null;
        Long studentId = user.role() == Role.student ? required(user.studentId(), "studentId") : null;
        String hash = BcryptUtil.bcryptHash(user.password());
        try {
            long id = db.write(handle -> handle.createUpdate("""
                            INSERT INTO users (username, password_hash, role, teacher_id, student_id)
                            VALUES (:username, :hash, :role, :teacherId, :studentId)""")
                    .bind("username", user.username()).bind("hash", hash).bind("role", user.role().name())
                    .bind("teacherId", teacherId).bind("studentId", studentId)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            return new UserAccount(id, user.username(), hash, user.role(), teacherId, studentId);
        } catch (RuntimeException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                throw ApiException.conflict("the username " + user.username() + " is taken");
            }
            if (SqlErrors.isForeignKeyViolation(e)) {
                throw ApiException.unprocessable(teacherId != null ? "teacherId" : "studentId", "does not exist");
            }
            throw e;
        }
    }

    private static Long required(Long id, String field) {
        if (id == null) {
            throw ApiException.unprocessable(field, "is required for this role");
        }
        return id;
    }
}
