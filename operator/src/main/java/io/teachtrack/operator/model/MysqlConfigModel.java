package io.teachtrack.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.teachtrack.operator.api.v1alpha1.MysqlEngine;
import io.teachtrack.operator.api.v1alpha1.TeachTrack;
import io.teachtrack.operator.mysql.Dialect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The {@code <n>-mysql-config} ConfigMap: the engine's my.cnf (GTIDs, row-based binary log, durable commits, every
 * server read-only with replication stopped) and the start script that initialises an empty data directory and
 * runs the server. Both live as plain files under {@code src/main/resources/mysql/}, where the tests' database
 * containers read them too.
 */
public final class MysqlConfigModel {

    /** Keys of the ConfigMap, and file names under {@link #MOUNT_PATH}. */
    public static final String MY_CNF = "my.cnf";
    public static final String START_SCRIPT = "start.sh";
    public static final String MOUNT_PATH = "/etc/teachtrack";
    /** Where the start script reads the root password (a Secret volume, never an environment variable). */
    public static final String SECRET_MOUNT_PATH = "/etc/teachtrack-secret";

    public static final String ENGINE_ENV = "TEACHTRACK_DB_ENGINE";
    public static final String SERVER_ID_BASE_ENV = "SERVER_ID_BASE";
    public static final String BINLOG_EXPIRE_SECONDS_ENV = "BINLOG_EXPIRE_SECONDS";

    private static final String START = resource("start.sh");
    /** Each engine's my.cnf, read from the jar once (every reconcile renders the ConfigMap). */
    private static final Map<MysqlEngine, String> MY_CNFS = Arrays.stream(MysqlEngine.values()).collect(Collectors.toMap(
            engine -> engine, engine -> resource(Dialect.of(engine).configFile()), (a, b) -> a, () -> new EnumMap<>(MysqlEngine.class)));

    private MysqlConfigModel() {
    }

    public static ConfigMap desired(TeachTrack tt) {
        Map<String, String> data = new TreeMap<>();
        data.put(MY_CNF, myCnf(tt.getSpec().getMysql().getEngine()));
        data.put(START_SCRIPT, START);
        return new ConfigMapBuilder()
                .withMetadata(ObjectMetas.of(tt, Names.mysqlConfig(tt), Labels.common(tt, Component.MYSQL)))
                .withData(data)
                .build();
    }

    public static String myCnf(MysqlEngine engine) {
        return MY_CNFS.get(engine);
    }

    public static String startScript() {
        return START;
    }

    private static String resource(String name) {
        try (InputStream in = MysqlConfigModel.class.getResourceAsStream("/mysql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource mysql/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
