package dev.ofswitch.bench.jmh;

import dev.ofswitch.bench.Frames;
import dev.ofswitch.conntrack.ConnFilter;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ConnTracker.execute()} committing a new connection: the "ct execute (commit)" step of
 * {@code ovstest test-conntrack benchmark-zones 10000 N_ZONES ...} (OVS {@code tests/test-conntrack.c},
 * {@code test_benchmark_zones()}). One invocation commits the {@value #N_CONNS} packets of that tool (UDP source
 * port {@code i >> 16}, destination port {@code i & 0xffff}, 0 read as 65535) into zone 1, which a per-invocation
 * set-up has flushed, so every packet misses and creates a connection. Zones 0 and 2..{@code nZones}-1 hold
 * {@value #N_CONNS} connections each throughout, as in the ovstest run ({@code nZones=100}: a million). The score is
 * per new connection.
 *
 * <pre>
 * bin/bench jmh CommitNewBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CommitNewBenchmark {
    static final int N_CONNS = 10_000;
    static final int ZONE = 1;

    /** Zones holding {@value #N_CONNS} connections each at the start of every invocation (zone 1 is refilled). */
    @Param({"1", "100"})
    public int nZones;

    private final ControllableClock clock = ControllableClock.manual(0);
    private final ConnFilter zone1 = ConnFilter.zone(ZONE);
    private ConnTracker ct;
    private byte[][] frames;
    private CtMetadata[] md;
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock));
        now = clock.nanoTime();
        frames = new byte[N_CONNS][];
        md = new CtMetadata[N_CONNS];
        for (int i = 0; i < N_CONNS; i++) {
            frames[i] = Frames.zonesPacket(i);
            md[i] = new CtMetadata();
        }
        for (int zone = 0; zone < nZones; zone++) {
            commitAll(zone);
        }
    }

    @Setup(Level.Invocation)
    public void emptyZone() {
        ct.flush(zone1, now);
    }

    @TearDown(Level.Invocation)
    public void check() {
        if (ct.connectionCount() != (long) Math.max(nZones, 2) * N_CONNS) {
            throw new IllegalStateException("expected every packet to commit, have " + ct.connectionCount());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ct.close();
    }

    @Benchmark
    @OperationsPerInvocation(N_CONNS)
    public void commit() {
        commitAll(ZONE);
    }

    private void commitAll(int zone) {
        for (int j = 0; j < N_CONNS; j++) {
            ct.execute(frames[j], 0, Frames.UDP_FRAME_LEN, zone, CtParams.COMMIT, md[j], now);
            md[j].forgetConnection();
        }
    }
}
