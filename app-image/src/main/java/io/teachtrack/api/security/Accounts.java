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

    void createAdminOnFirstStart(@Observes SchemaMigrations.SchemaReady ready) throws InterruptedException {
        String hash = BcryptUtil.bcryptHash(config.adminPassword());
        for (int attempt = 1; ; attempt++) {
            try {
                // INSERT IGNORE: of many pods starting at once, one creates it; an existing admin keeps its password.
                int created = db.write(handle -> handle.createUpdate("""
                                INSERT IGNORE INTO users (username, password_hash, role) VALUES (:username, :hash, :role)""")
                        .bind("username", ADMIN_USERNAME).bind("hash", hash).bind("role", Role.admin.name())
                        .execute());
                if (created == 1) {
                    LOG.info("created the admin user from TEACHTRACK_ADMIN_PASSWORD");
                }
                return;
            } catch (RuntimeException e) {
                LOG.warnf("cannot create the admin user yet (attempt %d): %s", attempt, e.getMessage());
                Thread.sleep(Math.min(30_000L, 500L * attempt));
            }
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
