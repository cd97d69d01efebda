package dev.ofswitch.bench.jmh;

import dev.ofswitch.bench.Frames;
import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cleaner pass that deletes expired connections, per deleted connection: the sweep that OVS's {@code ct_clean}
 * thread runs (no {@code ovstest} workload measures it; {@code bench ct-cleaner} measures what it costs the datapath).
 * Each invocation's set-up commits {@value #N_CONNS} one-packet UDP connections (about 390 per bucket, under the
 * per-bucket limit of one pass) and moves the frozen clock past their 60 s timeout; the invocation is one
 * {@code ConnTracker.sweepNow()}, run on the benchmark thread (no cleaner thread), which must delete them all. It
 * includes shrinking the emptied bucket tables. With {@code -prof gc}, {@code gc.alloc.rate.norm} also counts what the
 * set-up allocates (the connections themselves), so it does not show the sweep's own allocation.
 *
 * <pre>
 * bin/bench jmh ExpirySweepBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExpirySweepBenchmark {
    static final int N_CONNS = 100_000;

    private final ControllableClock clock = ControllableClock.manual(0);
    private final CtMetadata md = new CtMetadata();
    private ConnTracker ct;
    private byte[][] frames;

    @Setup(Level.Trial)
    public void setUp() {
        ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock).cleanerThread(false));
        frames = new byte[N_CONNS][];
        for (int i = 0; i < N_CONNS; i++) {
            frames[i] = Frames.udp(0x0a000000 + i, Frames.IP_10_1_1_2, 1, 2);
        }
    }

    @Setup(Level.Invocation)
    public void commitThenExpire() {
        long now = clock.nanoTime();
        for (byte[] f : frames) {
            ct.execute(f, 0, Frames.UDP_FRAME_LEN, 0, CtParams.COMMIT, md, now);
            md.forgetConnection();
        }
        clock.warp(61_000);
    }

    @TearDown(Level.Invocation)
    public void check() {
        if (ct.connectionCount() != 0) {
            throw new IllegalStateException("the pass left " + ct.connectionCount() + " connections");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ct.close();
    }

    @Benchmark
    @OperationsPerInvocation(N_CONNS)
    public int sweep() {
        return ct.sweepNow();
    }
}
