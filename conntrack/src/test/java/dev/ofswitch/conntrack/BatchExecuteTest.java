package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnTracker#executeBatch} gives exactly what {@link ConnTracker#execute} gives packet by packet: random
 * batches of new, repeated, reply, invalid and cached packets (and a NAT batch, which executeBatch runs in order) go
 * through two trackers, one each way; every verdict, mark and tuple and the final tables must agree.
 */
class BatchExecuteTest {
    @Test
    void batchesEqualPacketByPacket() {
        Random rnd = new Random(7);
        try (TrackerFixture seq = new TrackerFixture(0, ConnTrackerConfig.defaults().buckets(4));
             TrackerFixture bat = new TrackerFixture(0, ConnTrackerConfig.defaults().buckets(4))) {
            CtParams markCommit = CtParams.builder().commit(true).mark(0x5, 0xff).build();
            for (int round = 0; round < 400; round++) {
                int n = 1 + rnd.nextInt(32);
                byte[][] framesA = new byte[n][];
                byte[][] framesB = new byte[n][];
                int[] offs = new int[n];
                int[] lens = new int[n];
                for (int i = 0; i < n; i++) {
                    byte[] f = frame(rnd);
                    framesA[i] = f.clone();
                    framesB[i] = f.clone();
                    lens[i] = f.length;
                }
                CtParams params = switch (rnd.nextInt(4)) {
                    case 0 -> CtParams.LOOKUP;
                    case 1 -> markCommit;
                    case 2 -> CtParams.builder().commit(true).nat(NatTest.snat("192.168.9.1")).build();
                    default -> CtParams.COMMIT;
                };
                int zone = rnd.nextInt(2);
                CtMetadata[] a = new CtMetadata[n];
                CtMetadata[] b = new CtMetadata[n];
                for (int i = 0; i < n; i++) {
                    a[i] = new CtMetadata();
                    b[i] = new CtMetadata();
                    if (rnd.nextInt(4) == 0) {
                        // A packet that went through ct() already: its cached connection may take the fast path.
                        seq.tracker.execute(framesA[i], 0, lens[i], zone, CtParams.LOOKUP, a[i], 0);
                        bat.tracker.execute(framesB[i], 0, lens[i], zone, CtParams.LOOKUP, b[i], 0);
                    }
                }
                for (int i = 0; i < n; i++) {
                    seq.tracker.execute(framesA[i], 0, lens[i], zone, params, a[i], 0);
                }
                bat.tracker.executeBatch(framesB, offs, lens, n, zone, params, b, 0);
                for (int i = 0; i < n; i++) {
                    assertEquals(describe(a[i], framesA[i]), describe(b[i], framesB[i]), "round " + round + " #" + i);
                }
            }
            assertEquals(seq.dump(), bat.dump());
        }
    }

    private static String describe(CtMetadata md, byte[] frame) {
        return CtState.format(md.state()) + " zone=" + md.zone() + " mark=" + md.mark() + " tuple=" + md.tupleProto()
                + "/" + md.tupleSrc1 + "/" + md.tupleDst1 + "/" + md.tupleTpSrc + "/" + md.tupleTpDst
                + " frame=" + Frames.hex(frame);
    }

    private static byte[] frame(Random rnd) {
        String a = "10.0.0." + (1 + rnd.nextInt(3));
        String b = "10.0.1." + (1 + rnd.nextInt(2));
        int port = 1000 + rnd.nextInt(4);
        switch (rnd.nextInt(5)) {
            case 0:
                return Frames.ipv4(a, b).udp(port, 53).payload("q").build();
            case 1:
                return Frames.ipv4(b, a).udp(53, port).payload("r").build();
            case 2:
                return Frames.ipv4(a, b).tcp(port, 80).flags(Frames.SYN).seq(1000).build();
            case 3:
                return Frames.ipv4(a, b).udp(port, 53).corruptL4Checksum().build();
            default:
                return Frames.ipv4(a, b).icmpEcho(8, port, 1).build();
        }
    }
}
