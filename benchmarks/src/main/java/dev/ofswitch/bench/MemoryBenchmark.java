package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnFilter;
import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.CtState;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * {@code bench ct-memory N [udp|tcp]}: heap bytes per tracked connection.
 *
 * <p>Method: build an empty tracker (no cleaner thread, time frozen) and commit one connection in another zone and
 * flush it, so that class initialisation and the tracker's fixed structures are allocated before the baseline. Then
 * measure the live heap: {@value #GCS} explicit full collections, then the sum over the heap's memory pools of their
 * usage right after the last collection ({@link MemoryPoolMXBean#getCollectionUsage()}; the current usage would also
 * count the thread-local allocation buffer the thread grabs right after the collection, megabytes of nothing). Then
 * commit {@code N} distinct one-packet connections in zone 0 (UDP 10.0.0.0 + i → 10.1.1.2 ports 1 → 2, or a TCP SYN
 * with the same addresses and ports 1024 → 80); the frames are garbage by then; measure again the same way. Bytes per
 * connection = (after - before) / N. The difference includes each connection object (and, for TCP, its two peer records), its share of the bucket
 * hash tables (whose capacities are powers of two, so the share steps with N) and its expiry-list links; it excludes
 * what the tracker holds regardless of N. A full collection (ParallelGC's, in bin/bench) compacts the heap, so the
 * usage right after it is the live data.
 */
final class MemoryBenchmark {
    static final String COMMAND = "ct-memory";
    static final String SYNOPSIS = "N [udp|tcp]";
    static final int GCS = 3;

    private MemoryBenchmark() {
    }

    static int run(String[] argv) throws UsageException, InterruptedException {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 1, 2);
        int n = (int) args.integer(0, "N", 1, 16_000_000);
        boolean tcp = args.has(1) && args.choice(1, "the protocol", "udp", "tcp").equals("tcp");

        ControllableClock clock = ControllableClock.manual(0);
        ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock).cleanerThread(false)
                .connLimit(Math.max(n, ConnTracker.DEFAULT_CONN_LIMIT)));
        CtMetadata md = new CtMetadata();
        commit(ct, frame(tcp, 0x0b000000), 2, md);
        ct.flush(ConnFilter.zone(2), 0);

        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            commit(ct, frame(tcp, 0x0a000000 + i), 0, md);
        }
        long after = usedAfterGc();
        long tracked = ct.connectionCount();
        Reference.reachabilityFence(ct);

        System.out.printf(Locale.ROOT, "ct-memory: %d %s conns: %.1f bytes/conn (heap used after full GC: %.1f MB "
                        + "before, %.1f MB after)%n", n, tcp ? "tcp" : "udp", (after - before) / (double) n,
                before / 1e6, after / 1e6);
        if (tracked != n) {
            System.err.printf(Locale.ROOT, "bench ct-memory: expected %d tracked connections, found %d%n", n,
                    tracked);
            return 1;
        }
        return 0;
    }

    static byte[] frame(boolean tcp, int srcIp) {
        return tcp ? Frames.tcp(srcIp, Frames.IP_10_1_1_2, 1024, 80, Frames.SYN, 1000, 0)
                : Frames.udp(srcIp, Frames.IP_10_1_1_2, 1, 2);
    }

    private static void commit(ConnTracker ct, byte[] frame, int zone, CtMetadata md) {
        ct.execute(frame, 0, frame.length, zone, CtParams.COMMIT, md, 0);
        if (!md.hasConnection() || (md.state() & CtState.NEW) == 0) {
            throw new IllegalStateException("not committed: " + md);
        }
        md.forgetConnection();
    }

    /** Heap in use right after the last of {@value #GCS} explicit full collections. */
    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < GCS; i++) {
            System.gc();
            Thread.sleep(50);
        }
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterGc != null) {
                used += afterGc.getUsed();
            }
        }
        return used;
    }
}
