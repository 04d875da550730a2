package videotube;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.List;

/**
 * Serves an in-memory mongo-java-server on a host and port, given as
 * arguments or as MJS_HOST / MJS_PORT (default 127.0.0.1:27017), and prints
 * one "ready" line once it listens. Stops on SIGTERM or SIGINT.
 */
public final class Main {
    /**
     * The library's newest version constant reports wire version 8, and the
     * Node driver 7 refuses servers below 9. The commands the tests use do not
     * depend on the reported version, so report MongoDB 5.0 (wire version 13).
     */
    static final MongoVersion MONGO_5_0_WIRE_13 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(5, 0, 0);
        }

        @Override
        public int getWireVersion() {
            return 13;
        }
    };

    public static void main(String[] args) {
        // slf4j-simple reads this once, before the first logger is made.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String host = args.length > 0 ? args[0] : envOr("MJS_HOST", "127.0.0.1");
        int port = Integer.parseInt(args.length > 1 ? args[1] : envOr("MJS_PORT", "27017"));

        MongoServer server = new MongoServer(new MemoryBackend().version(MONGO_5_0_WIRE_13));
        server.bind(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("mongo-java-server ready on " + host + ":" + port);
        System.out.flush();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
