package dev.ofswitch.bench.jmh;

import dev.ofswitch.bench.Frames;
import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.CtState;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@code ConnTracker.execute()} for a packet of an existing connection: the per-packet cost of
 * {@code ovstest test-conntrack benchmark N_THREADS N_PKTS 1} (OVS {@code tests/test-conntrack.c},
 * {@code test_benchmark()}), which sends one connection's packet again and again with {@code ct(commit)}, clearing
 * the cached connection after every call so that each packet is parsed, hashed and looked up.
 *
 * <pre>
 * bin/bench jmh EstablishedExecuteBenchmark -prof gc            # ns/op and gc.alloc.rate.norm (should be ~0 B/op)
 * bin/bench jmh EstablishedExecuteBenchmark -p flow=udp -t 2    # two threads, one connection each, one tracker
 * </pre>
 *
 * <p>{@code flow=udp} is ovstest's packet exactly: a one-way UDP connection, so the state stays {@code +trk+new}.
 * {@code flow=tcp} is a pure ACK of a connection set up by a three-way handshake, {@code +trk+est}, which adds the TCP
 * window tracker. The tracker is shared by all benchmark threads; each thread has its own connection (source port
 * {@code 1 + thread}, as ovstest) and metadata. Time is frozen, so nothing expires and the cleaner sleeps.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EstablishedExecuteBenchmark {

    /** The tracker, shared by the benchmark threads like ovstest's one {@code struct conntrack}. */
    @State(Scope.Benchmark)
    public static class Tracker {
        final ControllableClock clock = ControllableClock.manual(0);
        final AtomicInteger threads = new AtomicInteger();
        ConnTracker ct;

        @Setup(Level.Trial)
        public void setUp() {
            ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ct.close();
        }
    }

    /** One thread's connection and packet. */
    @State(Scope.Thread)
    public static class Packet {
        @Param({"udp", "tcp"})
        public String flow;

        byte[] frame;
        final CtMetadata md = new CtMetadata();
        long now;

        @Setup(Level.Trial)
        public void setUp(Tracker tracker) {
            ConnTracker ct = tracker.ct;
            now = tracker.clock.nanoTime();
            int port = 1 + tracker.threads.getAndIncrement();
            int a = Frames.IP_10_1_1_1;
            int b = Frames.IP_10_1_1_2;
            int expected;
            if (flow.equals("udp")) {
                frame = Frames.udp(a, b, port, 2);
                expected = CtState.TRK | CtState.NEW;
            } else {
                // The handshake's packets carry their own metadata, as separate packets do.
                send(ct, Frames.tcp(a, b, port, 80, Frames.SYN, 1000, 0), new CtMetadata());
                send(ct, Frames.tcp(b, a, 80, port, Frames.SYN | Frames.ACK, 5000, 1001), new CtMetadata());
                frame = Frames.tcp(a, b, port, 80, Frames.ACK, 1001, 5001);
                expected = CtState.TRK | CtState.EST;
            }
            send(ct, frame, md);
            send(ct, frame, md);
            if (md.state() != expected) {
                throw new IllegalStateException(flow + ": expected " + CtState.format(expected) + ", got " + md);
            }
        }

        private void send(ConnTracker ct, byte[] f, CtMetadata m) {
            ct.execute(f, 0, f.length, 0, CtParams.COMMIT, m, now);
            m.forgetConnection();
        }
    }

    @Benchmark
    public int execute(Tracker tracker, Packet p) {
        tracker.ct.execute(p.frame, 0, p.frame.length, 0, CtParams.COMMIT, p.md, p.now);
        p.md.forgetConnection();
        return p.md.state();
    }
}
