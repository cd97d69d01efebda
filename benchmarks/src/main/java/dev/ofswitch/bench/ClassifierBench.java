package dev.ofswitch.bench;

import dev.ofswitch.ofswitch.table.Classifier;
import dev.ofswitch.ofswitch.table.Rule;
import dev.ofswitch.ofswitch.table.TieBreak;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench test-classifier benchmark N_RULES N_PRIORITIES N_SUBTABLES N_THREADS N_LOOKUPS}: OVS's
 * {@code ovstest test-classifier benchmark} ({@code tests/test-classifier.c}, {@code run_benchmarks()} and
 * {@code benchmark()}) on our {@link Classifier}, with OVS's workload ({@link ClassifierWorkload}) and OVS's output
 * lines, so the two can be run side by side:
 *
 * <pre>
 * bench test-classifier benchmark 1000 1 30 1 10000000
 * ovstest test-classifier benchmark 1000 1 30 1 10000000
 * </pre>
 *
 * <p>Two passes, each on a freshly built classifier: "Without wildcards" ({@link Classifier#lookup(long[])}) and
 * "With wildcards" ({@link Classifier#lookup(long[], long[])}, clearing the per-thread megaflow mask before each
 * lookup as OVS's {@code flow_wildcards_init_catchall()} does). Each pass times, in milliseconds, from before the
 * lookup threads start until after they have all been joined, as OVS does; rule insertion is not timed. As in OVS,
 * nothing warms the JIT up first: the first few milliseconds of each pass run interpreted or in C1. After each pass's
 * two ovstest lines, a third line on standard error gives the lookup threads' CPU time, which on a shared machine is
 * a steadier figure than wall time.
 *
 * <p>Two options that OVS does not have, before the numbers: {@code --masked} builds the rules with their wildcard
 * patterns applied ({@link ClassifierWorkload.Mode#MASKED}), i.e. really {@code N_SUBTABLES} subtables; without it
 * every rule is exact on all 13 fields, as in OVS (see {@link ClassifierWorkload} for why). {@code --subtable-order}
 * builds the classifier with {@link TieBreak#SUBTABLE_ORDER} instead of the default
 * {@link TieBreak#EARLIEST_INSTALLED}; it matters only with {@code --masked}.
 */
final class ClassifierBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ClassifierBench() {}

    static final String COMMAND = "test-classifier benchmark";
    static final String SYNOPSIS = "[--masked] [--subtable-order] N_RULES N_PRIORITIES N_SUBTABLES N_THREADS N_LOOKUPS";

    /**
     * Runs the benchmark.
     *
     * @param args {@code [--masked] [--subtable-order] N_RULES N_PRIORITIES N_SUBTABLES N_THREADS N_LOOKUPS}, the
     *     arguments after {@code test-classifier benchmark}; {@code --help} prints OVS's usage text
     * @return the exit status, 0
     * @throws UsageException on wrong arguments
     */
    static int run(String[] args) throws UsageException {
        return run(args, System.out);
    }

    static int run(String[] argv, PrintStream out) throws UsageException {
        List<String> rest = new ArrayList<>(Arrays.asList(argv));
        ClassifierWorkload.Mode mode = ClassifierWorkload.Mode.OVS;
        if (rest.remove("--masked")) {
            mode = ClassifierWorkload.Mode.MASKED;
        }
        TieBreak ties = TieBreak.EARLIEST_INSTALLED;
        if (rest.remove("--subtable-order")) {
            ties = TieBreak.SUBTABLE_ORDER;
        }
        if (rest.contains("--help")) {
            usage(out);
            return 0;
        }
        Args args = new Args(COMMAND, SYNOPSIS, rest.toArray(new String[0]), 5, 5);
        int nRules = (int) args.integer(0, "N_RULES", 0, Integer.MAX_VALUE);
        int nPriorities = (int) args.integer(1, "N_PRIORITIES", 1, Integer.MAX_VALUE);
        int nSubtables = (int) args.integer(2, "N_SUBTABLES", 1, 1 << ClassifierWorkload.N_FIELDS);
        int nThreads = (int) args.integer(3, "N_THREADS", 1, 1024);
        int nLookups = (int) args.integer(4, "N_LOOKUPS", 0, Integer.MAX_VALUE);

        out.printf("%nBenchmarking with:%n%d rules with %d priorities in %d tables, "
                + "%d threads doing %d lookups each%n", nRules, nPriorities, nSubtables, nThreads, nLookups);
        out.print("\nWithout wildcards: \n\n");
        benchmark(false, nRules, nPriorities, nSubtables, nThreads, nLookups, mode, ties, out);
        out.print("\nWith wildcards: \n\n");
        benchmark(true, nRules, nPriorities, nSubtables, nThreads, nLookups, mode, ties, out);
        out.flush();
        return 0;
    }

    private static void usage(PrintStream out) {
        out.print("usage: bench test-classifier benchmark [--masked] [--subtable-order] <n_rules> <n_priorities> "
                + "<n_subtables> <n_threads> <n_lookups>\n"
                + "\n"
                + "where:\n"
                + "\n"
                + "<n_rules>      - The number of rules to install for lookups.  More rules\n"
                + "                 makes misses less likely.\n"
                + "<n_priorities> - How many different priorities to use.  Using only 1\n"
                + "                 priority will force lookups to continue through all\n"
                + "                 subtables.\n"
                + "<n_subtables>  - Number of wildcard patterns to draw.  As in OVS's own\n"
                + "                 benchmark, rules ignore them (one subtable) unless\n"
                + "                 --masked is given.\n"
                + "<n_threads>    - How many lookup threads to use.\n"
                + "<n_lookups>    - How many lookups each thread should perform.\n"
                + "--masked       - Apply the wildcard patterns (see <n_subtables>).\n"
                + "--subtable-order - Break equal-priority ties by subtable rank and stop\n"
                + "                 at the first hit, as OVS does; the default is that the\n"
                + "                 earliest installed rule wins.\n"
                + "\n");
    }

    private static void benchmark(boolean useWc, int nRules, int nPriorities, int nSubtables, int nThreads,
            int nLookups, ClassifierWorkload.Mode mode, TieBreak ties, PrintStream out) {
        ClassifierWorkload w = new ClassifierWorkload(nRules, nPriorities, nSubtables, mode, ties);
        AtomicLong hits = new AtomicLong();
        AtomicLong misses = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();

        long start = System.nanoTime();
        Thread[] threads = new Thread[nThreads];
        for (int t = 0; t < nThreads; t++) {
            threads[t] = new Thread(() -> {
                lookupClassifier(w, useWc, nLookups, hits, misses);
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
            }, "lookups");
            threads[t].start();
        }
        for (Thread t : threads) {
            join(t);
        }
        long elapsedMsec = (System.nanoTime() - start) / 1_000_000L;

        long total = hits.get() + misses.get();
        out.printf("hits: %d, misses: %d%n", hits.get(), misses.get());
        out.printf("classifier lookups:  %5d ms, %d lookups/sec%n",
                elapsedMsec, total * 1000 / Math.max(1, elapsedMsec));
        // Not an ovstest line, so not on stdout: on a shared machine, CPU time tells what wall time cannot.
        long cpuMsec = cpuNanos.get() / 1_000_000L;
        System.err.printf("(lookup threads' CPU time: %d ms, %d lookups per CPU-second per thread)%n",
                cpuMsec, total * 1000 / Math.max(1, cpuMsec));
    }

    /** OVS {@code lookup_classifier()}: re-seed with 1, then {@code n_lookups} random lookups. */
    private static void lookupClassifier(ClassifierWorkload w, boolean useWc, int nLookups, AtomicLong hits,
            AtomicLong misses) {
        Classifier<Integer> cls = w.classifier;
        long[][] flows = w.lookupFlows;
        ClassifierWorkload.OvsRandom rnd = new ClassifierWorkload.OvsRandom(1);
        long[] wc = new long[ClassifierWorkload.KEY_WORDS];
        int h = 0;
        int m = 0;
        for (int i = 0; i < nLookups; i++) {
            long[] flow = flows[rnd.range(flows.length)];
            Rule<Integer> r;
            if (useWc) {
                Arrays.fill(wc, 0L);
                r = cls.lookup(flow, wc);
            } else {
                r = cls.lookup(flow);
            }
            if (r != null) {
                h++;
            } else {
                m++;
            }
        }
        hits.addAndGet(h);
        misses.addAndGet(m);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining lookup threads", e);
        }
    }
}
