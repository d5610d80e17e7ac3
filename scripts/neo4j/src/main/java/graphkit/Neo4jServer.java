package graphkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Minimal local Neo4j Community server: the embedded DBMS with the Bolt connector enabled.
 *
 * <p>Usage: {@code Neo4jServer <home-dir> [bolt-port]}. The port falls back to the environment
 * variable {@code NEO4J_BOLT_PORT}, then 7687. Bolt listens on 127.0.0.1 only, authentication is
 * disabled, HTTP/HTTPS are off. The page cache size comes from {@code NEO4J_PAGECACHE} (default
 * 256m); the heap is set by the JVM flags of the caller (scripts/neo4j-server sets -Xmx). Further
 * settings come from {@code NEO4J_CONF}: {@code key=value} pairs separated by {@code ;} or newlines
 * (neo4j.conf names, e.g. {@code db.checkpoint.interval.volume=1g}); they override the defaults here.
 *
 * <p>Prints {@code graphkit-neo4j: READY bolt://127.0.0.1:<port>} once the default database is
 * available and the Bolt port accepts TCP connections. Shuts down cleanly on SIGTERM/SIGINT.
 */
public final class Neo4jServer {
    static final String HOST = "127.0.0.1";
    static final String PREFIX = "graphkit-neo4j: ";

    private Neo4jServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: Neo4jServer <home-dir> [bolt-port]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        int port = parsePort(args.length > 1 ? args[1] : System.getenv("NEO4J_BOLT_PORT"));
        String pageCache = envOr("NEO4J_PAGECACHE", "256m");
        Files.createDirectories(home);

        log("starting Neo4j " + neo4jVersion() + " home=" + home + " bolt=" + HOST + ":" + port
                + " pagecache=" + pageCache + " java=" + Runtime.version());

        Log4jLogProvider userLog = new Log4jLogProvider(System.out, Level.INFO);
        Path extraConf = home.resolve("graphkit-extra.conf");
        StringBuilder conf = new StringBuilder();
        rawConfig(System.getenv("NEO4J_CONF")).forEach((k, v) -> conf.append(k).append('=').append(v).append('\n'));
        Files.writeString(extraConf, conf.toString());
        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(userLog)
                    .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                    .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                    // Keep the disk footprint of a throwaway/test database small.
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    // Netty's default 5 s quiet periods make every shutdown take ~10 s.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                    .loadPropertiesFromFile(extraConf)
                    .build();
        } catch (Throwable t) {
            log("FAILED to start: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutdown requested, stopping Neo4j ...");
            try {
                dbms.shutdown();
                log("stopped");
            } catch (Throwable t) {
                log("error during shutdown: " + t);
            } finally {
                userLog.close();
                stopped.countDown();
            }
        }, "graphkit-neo4j-shutdown"));

        if (!dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(TimeUnit.MINUTES.toMillis(2))) {
            log("FAILED: default database did not become available");
            System.exit(1);
        }
        if (!waitForPort(HOST, port, 60_000)) {
            log("FAILED: Bolt port " + HOST + ":" + port + " does not accept connections");
            System.exit(1);
        }
        log("READY bolt://" + HOST + ":" + port);

        stopped.await();
    }

    /** {@code key=value} pairs separated by ';' or newlines; blank entries and '#' comments skipped. */
    static Map<String, String> rawConfig(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String item : text.split("[;\\n]")) {
            String entry = item.trim();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                System.err.println(PREFIX + "NEO4J_CONF: not key=value: " + entry);
                System.exit(2);
            }
            out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            log("setting " + entry.substring(0, eq).trim() + "=" + entry.substring(eq + 1).trim());
        }
        return out;
    }

    private static int parsePort(String value) {
        if (value == null || value.isBlank()) {
            return BoltConnector.DEFAULT_PORT;
        }
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            System.err.println(PREFIX + "invalid port: " + value);
            System.exit(2);
            return -1;
        }
    }

    private static boolean waitForPort(String host, int port, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return true;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        return false;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static String neo4jVersion() {
        String v = DatabaseManagementServiceBuilder.class.getPackage().getImplementationVersion();
        return v == null ? "(unknown version)" : v;
    }

    private static void log(String message) {
        System.out.println(PREFIX + message);
        System.out.flush();
    }
}
