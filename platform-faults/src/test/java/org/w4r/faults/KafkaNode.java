package org.w4r.faults;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The main class of every {@link KafkaCluster} process: the Kafka tool or server named by its first argument, with
 * its log at INFO on the process's output.
 *
 * <p>Why not {@code kafka.Kafka} directly: the test classpath's JBoss LogManager comes with Quarkus, whose initial
 * configurator hands every record to a delayed handler that holds it until a Quarkus application configures logging,
 * which in a broker never happens. The brokers logged nothing at all, and a restarted broker that had not rejoined
 * after 90 s (CI, twice) left an empty log behind.
 */
public final class KafkaNode {
    private KafkaNode() {
    }

    public static void main(String[] args) throws Throwable {
        Logger root = Logger.getLogger("");
        for (Handler delayed : root.getHandlers()) {
            root.removeHandler(delayed);
        }
        Handler console = new ConsoleHandler(); // System.err, which the cluster sends to the node's log file
        console.setLevel(Level.INFO);
        console.setFormatter(new SimpleFormatter());
        root.addHandler(console);
        root.setLevel(Level.INFO);
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        try {
            Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) rest);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
