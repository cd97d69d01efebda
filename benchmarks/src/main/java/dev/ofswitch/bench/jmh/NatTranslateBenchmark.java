package dev.ofswitch.bench.jmh;

import dev.ofswitch.bench.Frames;
import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.CtState;
import dev.ofswitch.conntrack.NatRequest;
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
 * {@code ConnTracker.execute()} with {@code ct(nat)} on an established SNAT connection: the per-packet cost of
 * {@code bench ct-nat}'s translate ({@code direction=orig}) and untranslate ({@code direction=reply}) phases, for one
 * connection.
 *
 * <pre>
 * bin/bench jmh NatTranslateBenchmark -prof gc        # ns/op and gc.alloc.rate.norm (should be ~0 B/op)
 * </pre>
 *
 * <p>Set-up: one UDP flow 10.1.1.1:1 → 10.1.1.2:2 with a real UDP checksum is committed with
 * {@code ct(commit,nat(src=203.0.113.1-203.0.113.16:1024-65535))}; the reply frame is the translated frame turned
 * around (server → translated address and port), and one reply is sent, so the connection is {@code +est}. Each
 * operation copies the packet's 42-byte template into the work buffer (the rewrite changes the buffer, so every packet
 * must start from the original bytes; the copy is part of the measured time, a few nanoseconds), starts from fresh
 * metadata ({@code CtMetadata.clear()}, as a new packet) and runs {@code ct(nat)}: a full parse, hash, lookup (for the
 * reply, by the reply tuple, which lives in another bucket than the connection's home), tracker update, and the
 * address, port and checksum rewrite. The set-up checks that the first packet comes out translated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NatTranslateBenchmark {
    private static final CtParams NAT = CtParams.builder().nat(NatRequest.BARE).build();

    @Param({"orig", "reply"})
    public String direction;

    private final ControllableClock clock = ControllableClock.manual(0);
    private ConnTracker ct;
    private byte[] template;
    private final byte[] work = new byte[Frames.UDP_FRAME_LEN];
    private final CtMetadata md = new CtMetadata();
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock));
        now = clock.nanoTime();
        byte[] orig = Frames.withUdpChecksum(Frames.udp(Frames.IP_10_1_1_1, Frames.IP_10_1_1_2, 1, 2));
        CtParams commit = CtParams.builder().commit(true).nat(new NatRequest(NatRequest.F_SRC, 4, 0, 0xcb007101L, 0,
                0xcb007110L, 1024, 65535)).build();
        byte[] translated = orig.clone();
        ct.execute(translated, 0, translated.length, 0, commit, new CtMetadata(), now);
        byte[] reply = Frames.withFreshChecksums(Frames.reversed(translated));
        byte[] r = reply.clone();
        ct.execute(r, 0, r.length, 0, NAT, new CtMetadata(), now);
        template = direction.equals("orig") ? orig : reply;

        send();
        int want = direction.equals("orig") ? CtState.TRK | CtState.EST | CtState.SNAT
                : CtState.TRK | CtState.EST | CtState.RPL | CtState.DNAT;
        boolean rewritten = direction.equals("orig")
                ? Frames.ipv4Source(work) != Frames.IP_10_1_1_1 && Frames.ipv4Destination(work) == Frames.IP_10_1_1_2
                : Frames.ipv4Destination(work) == Frames.IP_10_1_1_1 && Frames.destinationPort(work) == 1;
        if (md.state() != want || !rewritten || Frames.checksumSums(work) != Frames.VALID) {
            throw new IllegalStateException(direction + ": expected " + CtState.format(want) + " and a translated "
                    + "frame with valid checksums, got " + md + " " + java.util.HexFormat.of().formatHex(work));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ct.close();
    }

    @Benchmark
    public int send() {
        System.arraycopy(template, 0, work, 0, Frames.UDP_FRAME_LEN);
        md.clear();
        ct.execute(work, 0, Frames.UDP_FRAME_LEN, 0, NAT, md, now);
        return md.state();
    }
}
