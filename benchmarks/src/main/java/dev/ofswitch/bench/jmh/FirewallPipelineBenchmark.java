package dev.ofswitch.bench.jmh;

import dev.ofswitch.bench.Firewall;
import dev.ofswitch.bench.Frames;
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
 * One packet of an established connection through the switch's OpenFlow pipeline with the 3-table stateful firewall
 * of {@code bench fw-pipeline} ({@link Firewall}): parse, table 0 ({@code load} of reg6, {@code ct(table=1)} in the
 * register's zone), the recirculation into table 1 ({@code +est+trk}) and {@code output:2} to a counting sink. The
 * per-packet cost of that command's established phase.
 *
 * <pre>
 * bin/bench jmh FirewallPipelineBenchmark -prof gc     # ns/op and gc.alloc.rate.norm (the target: 0 B/op)
 * bin/bench jmh FirewallPipelineBenchmark -t 2         # two threads, two pipeline workers, one switch
 * </pre>
 *
 * <p>The switch is shared by the benchmark threads; each thread is its own pipeline worker (worker index = thread
 * number, up to {@value #MAX_THREADS} threads) and owns {@code conns} UDP flows (ct-multi's frames), committed and made
 * established (one reply each) during set-up. Each operation sends the next of its flows, round-robin, so with
 * {@code conns=100000} the connection lookups miss the caches as in the command. Time is frozen.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FirewallPipelineBenchmark {
    /** The most benchmark threads (pipeline workers). */
    static final int MAX_THREADS = 8;

    /** The switch, shared by the benchmark threads. */
    @State(Scope.Benchmark)
    public static class Switch {
        final AtomicInteger threads = new AtomicInteger();
        Firewall fw;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            fw = Firewall.frozen(MAX_THREADS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            fw.close();
        }
    }

    /** One thread's worker index and flows. */
    @State(Scope.Thread)
    public static class Flows {
        @Param({"1", "100000"})
        public int conns;

        int worker;
        byte[][] frames;
        int next;

        @Setup(Level.Trial)
        public void setUp(Switch s) {
            worker = s.threads.getAndIncrement();
            if (worker >= MAX_THREADS) {
                throw new IllegalStateException("at most " + MAX_THREADS + " threads");
            }
            frames = new byte[conns][];
            long before = s.fw.flowPackets()[1];
            for (int i = 0; i < conns; i++) {
                frames[i] = Frames.udp(0x0a000000 + ((worker + 1) << 20) + i, Frames.IP_10_1_1_2, 1, 2);
                s.fw.process(worker, Firewall.IN_PORT, frames[i], Frames.UDP_FRAME_LEN);
                s.fw.process(worker, Firewall.OUT_PORT, Frames.reversed(frames[i]), Frames.UDP_FRAME_LEN);
            }
            s.fw.process(worker, Firewall.IN_PORT, frames[0], Frames.UDP_FRAME_LEN);
            if (s.fw.flowPackets()[1] - before < conns + 1L) {     // other threads may add theirs
                throw new IllegalStateException("the flows are not established: +new/+est/+inv hits "
                        + java.util.Arrays.toString(s.fw.flowPackets()));
            }
        }
    }

    @Benchmark
    public void established(Switch s, Flows f) {
        int i = f.next;
        f.next = i + 1 == f.conns ? 0 : i + 1;
        s.fw.process(f.worker, Firewall.IN_PORT, f.frames[i], Frames.UDP_FRAME_LEN);
    }
}
