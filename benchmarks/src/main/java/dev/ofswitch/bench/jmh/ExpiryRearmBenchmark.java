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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The expiry re-arm of an existing connection: every packet sets {@code expiresAt = now + timeout} and moves its
 * connection to the tail of its bucket's expiry list (the seed's ordered-list design; OVS today only stores the new
 * expiration). Packets go round-robin over {@code conns} established one-way UDP connections with {@code ct(commit)}
 * and the cached connection cleared, as in {@code ovstest test-conntrack benchmark} (OVS
 * {@code tests/test-conntrack.c}), which is the {@code conns=1} case: the connection is always the tail already, so
 * the move is skipped. With {@code conns=1024} (four per bucket), each packet's connection is the oldest of its
 * bucket and really moves; the difference between the two is the cost of the list move plus that of a lookup over
 * more cache lines. The clock advances by 1 µs per call, so every re-arm changes the expiration.
 *
 * <pre>
 * bin/bench jmh ExpiryRearmBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ExpiryRearmBenchmark {
    @Param({"1", "1024"})
    public int conns;

    private final ControllableClock clock = ControllableClock.manual(0);
    private final CtMetadata md = new CtMetadata();
    private ConnTracker ct;
    private byte[][] frames;
    private int next;
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock));
        frames = new byte[conns][];
        for (int i = 0; i < conns; i++) {
            frames[i] = Frames.udp(0x0a000000 + i, Frames.IP_10_1_1_2, 1, 2);
            ct.execute(frames[i], 0, Frames.UDP_FRAME_LEN, 0, CtParams.COMMIT, md, now);
            md.forgetConnection();
        }
        if (ct.connectionCount() != conns) {
            throw new IllegalStateException("expected " + conns + " connections, have " + ct.connectionCount());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ct.close();
    }

    @Benchmark
    public int rearm() {
        byte[] f = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        now += 1_000;
        ct.execute(f, 0, Frames.UDP_FRAME_LEN, 0, CtParams.COMMIT, md, now);
        md.forgetConnection();
        return md.state();
    }
}
