package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random damage to valid frames (bytes overwritten, frames cut) never makes the engine throw, and every verdict is
 * either exactly {@code inv|trk} or a tracked verdict without {@code inv}.
 */
class MalformedPacketPropertyTest {
    private static final List<byte[]> FRAMES = List.of(
            Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(Frames.SYN).seq(1000).windowScale(7).build(),
            Frames.ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000).flags(Frames.SYN | Frames.ACK).seq(5000).ack(1001)
                    .build(),
            Frames.ipv4("10.0.0.1", "10.0.0.2").udp(5000, 53).payload("query").build(),
            Frames.ipv4("10.0.0.2", "10.0.0.1").icmp(3, 3)
                    .payload(Frames.ipv4("10.0.0.1", "10.0.0.2").udp(5000, 53).buildIp()).build(),
            Frames.ipv6("fd00::2", "fd00::1").icmpv6(1, 0)
                    .payload(Frames.ipv6("fd00::1", "fd00::2").udp(5000, 53).buildIp()).build(),
            Frames.ipv6("fd00::1", "fd00::2").hopByHop().routingHeader().tcp(1, 2).flags(Frames.ACK).build(),
            Frames.ipv4("10.0.0.1", "10.0.0.2").vlan(5).icmpEcho(8, 1, 1).build());

    @Provide
    Arbitrary<byte[]> damaged() {
        Arbitrary<byte[]> base = Arbitraries.of(FRAMES);
        return base.flatMap(f -> Arbitraries.integers().between(0, f.length - 1).list().ofMaxSize(4)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size())
                        .flatMap(values -> Arbitraries.integers().between(0, f.length).map(len -> {
                            byte[] d = f.clone();
                            for (int i = 0; i < positions.size(); i++) {
                                d[positions.get(i)] = values.get(i);
                            }
                            return Frames.truncate(d, len);
                        }))));
    }

    @Property(tries = 2000)
    void damagedFrame_neverThrowsAndIsInvalidOrTracked(@ForAll("damaged") byte[] frame) {
        try (ConnTracker tracker = new ConnTracker(ConnTrackerConfig.defaults()
                .clock(ControllableClock.manual(0)).cleanerThread(false))) {
            // Commit every well-formed frame first so damaged ones also meet existing connections.
            CtMetadata md = new CtMetadata();
            for (byte[] f : FRAMES) {
                tracker.execute(f, 0, f.length, 0, CtParams.COMMIT, md, 0);
                md.forgetConnection();
            }
            CtMetadata out = new CtMetadata();
            tracker.execute(frame, 0, frame.length, 0, CtParams.COMMIT, out, 0);
            int state = out.state();
            assertNotEquals(0, state & CtState.TRK);
            if ((state & CtState.INV) != 0) {
                assertEquals(CtState.INV | CtState.TRK, state);
            }
        }
    }
}
