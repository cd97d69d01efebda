package dev.ofswitch.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code bin/bench}: OVS-comparable conntrack benchmarks and the JMH runner.
 *
 * <pre>
 * bench [--warmup N] COMMAND ARGS...
 *
 * bench test-conntrack benchmark N_THREADS N_PKTS BATCH [CHANGE]     as ovstest test-conntrack benchmark
 * bench test-conntrack benchmark-zones N_CONNS N_ZONES ITERATIONS    as ovstest test-conntrack benchmark-zones
 * bench test-classifier benchmark N_RULES N_PRIORITIES N_SUBTABLES N_THREADS N_LOOKUPS
 *                                                                    as ovstest test-classifier benchmark
 * bench ct-multi N_THREADS CONNS_PER_THREAD PASSES BATCH             as the anchor's ct-multi harness
 * bench ct-nat N_THREADS CONNS_PER_THREAD PASSES BATCH               ct-multi with SNAT: commit, translate, untranslate
 * bench fw-pipeline N_THREADS N_CONNS PASSES                          the OpenFlow pipeline with a stateful firewall
 * bench ct-cleaner N_CONNS N_THREADS DURATION_S                      datapath latency during a mass expiry
 * bench ct-memory N [udp|tcp]                                        heap bytes per connection
 * bench lab-startup TOPO [pingall] [no-unixctl]                      lab start-up, heap per switch, pingall time
 * bench controller-faults PROBE_MS DOWN_S[,DOWN_S...] DURATION_S     dead-controller detection, reconnection, flood
 * bench jmh [JMH arguments]                                          the JMH benchmarks of this jar
 * </pre>
 *
 * The ovstest-shaped commands take the same arguments and print the same lines as {@code ovstest}, so the two can run
 * side by side (benchmarks/README.md). Wrong arguments print one line to stderr and exit with status 2.
 *
 * <p>{@code --warmup N} runs the command N times first in the same JVM, output discarded, then once more for real:
 * the reported run is then JIT-compiled code, the steady state of a long-running switch. Without it the figures include
 * JIT warm-up, which a C binary does not pay and which dominates phases of a few hundred milliseconds (the insert phase
 * of {@code ct-multi}). It applies to the commands of {@link #WARMUP_COMMANDS}.
 */
public final class Bench {
    /** The commands {@code --warmup} applies to: those whose timed phases are short enough for JIT warm-up to show. */
    private static final List<String> WARMUP_COMMANDS = List.of("test-conntrack", "ct-multi", "ct-nat", "fw-pipeline");

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
        int warmups = 0;
        if (argv.length > 0 && argv[0].equals("--warmup")) {
            warmups = parseWarmups(argv);
            argv = Arrays.copyOfRange(argv, 2, argv.length);
            if (argv.length == 0 || !WARMUP_COMMANDS.contains(argv[0])) {
                throw new UsageException("bench: --warmup applies to " + String.join(", ", WARMUP_COMMANDS)
                        + " (usage: bench --warmup N COMMAND ARGS...)");
            }
        }
        if (warmups > 0) {
            PrintStream out = System.out;
            try {
                // Warm-up runs print nothing; a usage error or a failure still surfaces from the first of them.
                System.setOut(new PrintStream(OutputStream.nullOutputStream()));
                for (int i = 0; i < warmups; i++) {
                    int status = dispatch(argv);
                    if (status != 0) {
                        return status;
                    }
                }
            } finally {
                System.setOut(out);
            }
            System.gc();    // the warm-up runs' trackers are garbage: collect them before the measured run
            System.err.printf("bench: measured after %d warm-up run(s)%n", warmups);
        }
        return dispatch(argv);
    }

    private static int parseWarmups(String[] argv) throws UsageException {
        try {
            int n = argv.length < 2 ? -1 : Integer.parseInt(argv[1]);
            if (n >= 0 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("bench: --warmup takes a number of runs from 0 to 100 (usage: bench --warmup N "
                + "COMMAND ARGS...)");
    }

    private static int dispatch(String[] argv) throws Exception {
        if (argv.length == 0) {
            usage(System.err);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        switch (argv[0]) {
            case "test-conntrack":
                return testConntrack(rest);
            case "test-classifier":
                return testClassifier(rest);
            case "ct-multi":
                return MultiFlowBenchmark.run(rest);
            case "ct-nat":
                return NatBenchmark.run(rest);
            case "fw-pipeline":
                return FirewallBenchmark.run(rest);
            case "ct-cleaner":
                return CleanerLatencyBenchmark.run(rest);
            case "ct-memory":
                return MemoryBenchmark.run(rest);
            case "ct-capacity":
                return CapacityBenchmark.run(rest);
            case "ct-pressure":
                return PressureBenchmark.run(rest);
            case "lab-startup":
                return LabStartupBenchmark.run(rest);
            case "controller-faults":
                return ControllerFaultsBenchmark.run(rest);
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
                        + "\" (commands: test-conntrack, test-classifier, ct-multi, ct-nat, fw-pipeline, ct-cleaner, ct-memory, ct-capacity, ct-pressure, "
                        + "lab-startup, controller-faults, jmh, help)");
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

    /** ovstest's {@code test-classifier benchmark}. */
    private static int testClassifier(String[] argv) throws UsageException {
        if (argv.length == 0 || !argv[0].equals("benchmark")) {
            throw new UsageException("bench test-classifier: expected benchmark (usage: bench "
                    + ClassifierBench.COMMAND + " " + ClassifierBench.SYNOPSIS + ")");
        }
        return ClassifierBench.run(Arrays.copyOfRange(argv, 1, argv.length));
    }

    private static void usage(PrintStream out) {
        out.println("usage: bench [--warmup N] COMMAND ARGS...");
        out.println("  " + HotConnectionBenchmark.COMMAND + " " + HotConnectionBenchmark.SYNOPSIS
                + "    one hot UDP connection per thread (ovstest)");
        out.println("  " + ZonesBenchmark.COMMAND + " " + ZonesBenchmark.SYNOPSIS
                + "   commit, lookup and flush with many connections (ovstest)");
        out.println("  " + ClassifierBench.COMMAND + " N_RULES N_PRIORITIES N_SUBTABLES N_THREADS N_LOOKUPS");
        out.println("                                                         flow classifier lookups (ovstest)");
        out.println("  " + MultiFlowBenchmark.COMMAND + " " + MultiFlowBenchmark.SYNOPSIS
                + "            inserts, then lookups, of many flows per thread");
        out.println("  " + NatBenchmark.COMMAND + " " + NatBenchmark.SYNOPSIS
                + "              ct-multi with SNAT: commits, translations, reply un-translations");
        out.println("  " + FirewallBenchmark.COMMAND + " " + FirewallBenchmark.SYNOPSIS
                + "                       the OpenFlow pipeline with a 3-table stateful firewall");
        out.println("  " + CleanerLatencyBenchmark.COMMAND + " " + CleanerLatencyBenchmark.SYNOPSIS
                + "                     datapath latency while the cleaner deletes N_CONNS expired connections");
        out.println("  " + MemoryBenchmark.COMMAND + " " + MemoryBenchmark.SYNOPSIS
                + "                                       heap bytes per connection");
        out.println("  " + CapacityBenchmark.COMMAND + " " + CapacityBenchmark.SYNOPSIS
                + "                        connections held in this JVM's heap (-Xmx)");
        out.println("  " + PressureBenchmark.COMMAND + " " + PressureBenchmark.SYNOPSIS
                + "                 established traffic at a full table during a SYN flood");
        out.println("  " + LabStartupBenchmark.COMMAND + " " + LabStartupBenchmark.SYNOPSIS
                + "                lab start-up to all switches connected, heap per switch, pingall time");
        out.println("  " + ControllerFaultsBenchmark.COMMAND + " " + ControllerFaultsBenchmark.SYNOPSIS
                + "  dead-controller detection, reconnection, datapath during a flow-mod flood");
        out.println("  jmh [JMH ARGS]                                         the JMH benchmarks (jmh -l lists them)");
    }
}
