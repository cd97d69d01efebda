package dev.ofswitch.bench;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The entry point of {@code bin/bench}: OVS-comparable conntrack benchmarks and the JMH runner.
 *
 * <pre>
 * bench test-conntrack benchmark N_THREADS N_PKTS BATCH [CHANGE]     as ovstest test-conntrack benchmark
 * bench test-conntrack benchmark-zones N_CONNS N_ZONES ITERATIONS    as ovstest test-conntrack benchmark-zones
 * bench ct-multi N_THREADS CONNS_PER_THREAD PASSES BATCH             as the anchor's ct-multi harness
 * bench ct-cleaner N_CONNS N_THREADS DURATION_S                      datapath latency during a mass expiry
 * bench ct-memory N [udp|tcp]                                        heap bytes per connection
 * bench jmh [JMH arguments]                                          the JMH benchmarks of this jar
 * </pre>
 *
 * The ovstest-shaped commands take the same arguments and print the same lines as {@code ovstest}, so the two can run
 * side by side (benchmarks/README.md). Wrong arguments print one line to stderr and exit with status 2.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] argv) {
        int status;
        try {
            status = run(argv);
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            status = 2;
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] argv) throws Exception {
        if (argv.length == 0) {
            usage(System.err);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "test-conntrack":
                return testConntrack(rest);
            case "ct-multi":
                return MultiFlowBenchmark.run(rest);
            case "ct-cleaner":
                return CleanerLatencyBenchmark.run(rest);
            case "ct-memory":
                return MemoryBenchmark.run(rest);
            case "jmh":
                org.openjdk.jmh.Main.main(rest);
                return 0;
            case "help":
            case "-h":
            case "--help":
                usage(System.out);
                return 0;
            default:
                throw new UsageException("bench: unknown command \"" + argv[0]
                        + "\" (commands: test-conntrack, ct-multi, ct-cleaner, ct-memory, jmh, help)");
        }
    }

    /** ovstest's {@code test-conntrack} and its subcommands. */
    private static int testConntrack(String[] argv) throws Exception {
        String sub = argv.length == 0 ? "" : argv[0];
        String[] rest = argv.length == 0 ? argv : Arrays.copyOfRange(argv, 1, argv.length);
        if (sub.equals("benchmark")) {
            return HotConnectionBenchmark.run(rest);
        }
        if (sub.equals("benchmark-zones")) {
            return ZonesBenchmark.run(rest);
        }
        throw new UsageException("bench test-conntrack: expected benchmark or benchmark-zones (usage: bench "
                + HotConnectionBenchmark.COMMAND + " " + HotConnectionBenchmark.SYNOPSIS + " | bench "
                + ZonesBenchmark.COMMAND + " " + ZonesBenchmark.SYNOPSIS + ")");
    }

    private static void usage(PrintStream out) {
        out.println("usage: bench COMMAND ARGS...");
        out.println("  " + HotConnectionBenchmark.COMMAND + " " + HotConnectionBenchmark.SYNOPSIS
                + "    one hot UDP connection per thread (ovstest)");
        out.println("  " + ZonesBenchmark.COMMAND + " " + ZonesBenchmark.SYNOPSIS
                + "   commit, lookup and flush with many connections (ovstest)");
        out.println("  " + MultiFlowBenchmark.COMMAND + " " + MultiFlowBenchmark.SYNOPSIS
                + "            inserts, then lookups, of many flows per thread");
        out.println("  " + CleanerLatencyBenchmark.COMMAND + " " + CleanerLatencyBenchmark.SYNOPSIS
                + "                     datapath latency while the cleaner deletes N_CONNS expired connections");
        out.println("  " + MemoryBenchmark.COMMAND + " " + MemoryBenchmark.SYNOPSIS
                + "                                       heap bytes per connection");
        out.println("  jmh [JMH ARGS]                                         the JMH benchmarks (jmh -l lists them)");
    }
}
