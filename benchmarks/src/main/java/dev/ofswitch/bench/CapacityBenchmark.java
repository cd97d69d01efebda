package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.CtState;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.Locale;

/**
 * {@code bench ct-capacity [udp|tcp] [PERCENT]}: how many connections the tracker holds in this JVM's heap.
 *
 * <p>Commits distinct one-packet connections ({@link MemoryBenchmark}'s frames: UDP 10.0.0.0 + i:1 → 10.1.1.2:2 or a
 * TCP SYN 1024 → 80) into an unlimited tracker (no cleaner, time frozen) in chunks of {@value #CHUNK}; after each
 * chunk it measures the live heap after full collections, and stops before the chunk that would take the live heap
 * past {@code PERCENT} (default 85) of the maximum heap ({@code -Xmx}; bin/bench gives 2 GB, set another with
 * {@code BENCH_JAVA_OPTS=-Xmx1g}). The rest of the heap is the room a collector needs to work without thrashing: a
 * table filled to 100 % would spend its time in full collections. Prints {@code ct-capacity: N PROTO conns in X MB
 * of live heap (max heap M MB, P %)} and the bytes per connection of the whole run.
 */
final class CapacityBenchmark {
    static final String COMMAND = "ct-capacity";
    static final String SYNOPSIS = "[udp|tcp] [PERCENT]";
    private static final int CHUNK = 500_000;

    private CapacityBenchmark() {
    }

    static int run(String[] argv) throws UsageException, InterruptedException {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 0, 2);
        boolean tcp = args.has(0) && args.choice(0, "the protocol", "udp", "tcp").equals("tcp");
        long percent = args.has(1) ? args.integer(1, "PERCENT", 10, 95) : 85;
        long max = Runtime.getRuntime().maxMemory();
        long budget = max / 100 * percent;

        ControllableClock clock = ControllableClock.manual(0);
        ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock).cleanerThread(false)
                .connLimit(Integer.MAX_VALUE));
        CtMetadata md = new CtMetadata();
        long base = MemoryBenchmark.usedAfterGc();
        long used = base;
        int n = 0;
        double perConn = 0;
        while (true) {
            // Stop before a chunk that would cross the budget, judged by the bytes per connection so far.
            if (n > 0 && used + (long) (perConn * CHUNK * 1.1) > budget) {
                break;
            }
            for (int i = 0; i < CHUNK; i++) {
                byte[] f = MemoryBenchmark.frame(tcp, 0x0a000000 + n + i);
                ct.execute(f, 0, f.length, 0, CtParams.COMMIT, md, 0);
                if ((md.state() & CtState.NEW) == 0) {
                    System.err.printf(Locale.ROOT, "bench ct-capacity: commit %d refused: %s%n", n + i, md);
                    return 1;
                }
                md.forgetConnection();
            }
            n += CHUNK;
            used = MemoryBenchmark.usedAfterGc();
            perConn = (used - base) / (double) n;
        }
        System.out.printf(Locale.ROOT, "ct-capacity: %d %s conns in %.0f MB of live heap (max heap %.0f MB, %d %%), "
                        + "%.1f bytes/conn%n", ct.connectionCount(), tcp ? "tcp" : "udp", used / 1e6, max / 1e6,
                percent, perConn);
        return ct.connectionCount() == n ? 0 : 1;
    }
}
