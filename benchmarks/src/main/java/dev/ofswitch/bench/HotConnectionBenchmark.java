package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.Locale;

/**
 * {@code bench test-conntrack benchmark N_THREADS N_PKTS BATCH [CHANGE]}: OVS's
 * {@code ovstest test-conntrack benchmark}, one hot connection per thread.
 *
 * <p>Workload (as {@code test_benchmark()} in OVS {@code tests/test-conntrack.c}): one tracker with its cleaner
 * thread (idle: time is frozen); {@code N_THREADS} workers, each with {@code BATCH} copies of its own 42-byte UDP
 * frame 10.1.1.1:(1+thread) → 10.1.1.2:2 (port 3 when {@code CHANGE} is non-zero, which at OVS's current commit adds
 * no connection), each copy with its own metadata. A worker makes {@code ceil(N_PKTS / BATCH)} calls of a batch, every
 * packet of it {@code ct(commit, zone=0)} at the {@code now} read when the worker started, then clears the cached
 * connection of every packet of the batch ({@code pkt_metadata_init_conn()}), so every packet takes the full lookup.
 * Only each worker's first packet creates a connection.
 *
 * <p>Output: {@code conntrack:  %5d ms}, the milliseconds between the two barriers that start and stop the workers,
 * as the main thread sees them. Aggregate Mpps = {@code N_THREADS * N_PKTS / ms / 1000}.
 */
final class HotConnectionBenchmark {
    static final String COMMAND = "test-conntrack benchmark";
    static final String SYNOPSIS = "N_THREADS N_PKTS BATCH [CHANGE]";
    /** OVS's {@code NETDEV_MAX_BURST}. */
    static final int MAX_BATCH = 32;

    private HotConnectionBenchmark() {
    }

    static int run(String[] argv) throws UsageException, InterruptedException {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 3, 4);
        int nThreads = (int) args.integer(0, "N_THREADS", 1, 1024);
        long nPkts = args.integer(1, "N_PKTS", 0, Long.MAX_VALUE);
        int batch = (int) args.integer(2, "BATCH", 1, MAX_BATCH);
        boolean change = args.has(3) && args.integer(3, "CHANGE", 0, 1) != 0;

        ControllableClock clock = ControllableClock.manual(System.nanoTime());
        try (ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock))) {
            Workers workers = new Workers("ct_thread", nThreads, true, (tid, barrier) -> {
                long now = clock.nanoTime();
                byte[][] frames = new byte[batch][];
                CtMetadata[] md = new CtMetadata[batch];
                for (int j = 0; j < batch; j++) {
                    frames[j] = Frames.udp(Frames.IP_10_1_1_1, Frames.IP_10_1_1_2, 1 + tid, change ? 3 : 2);
                    md[j] = new CtMetadata();
                }
                barrier.await();
                for (long i = 0; i < nPkts; i += batch) {
                    for (int j = 0; j < batch; j++) {
                        ct.execute(frames[j], 0, Frames.UDP_FRAME_LEN, 0, CtParams.COMMIT, md[j], now);
                    }
                    for (int j = 0; j < batch; j++) {
                        md[j].forgetConnection();
                    }
                }
                barrier.await();
            });
            workers.await();
            long startMillis = System.nanoTime() / 1_000_000;
            workers.await();
            long elapsedMillis = System.nanoTime() / 1_000_000 - startMillis;
            System.out.printf(Locale.ROOT, "conntrack:  %5d ms%n", elapsedMillis);
            workers.join();
        }
        return 0;
    }
}
