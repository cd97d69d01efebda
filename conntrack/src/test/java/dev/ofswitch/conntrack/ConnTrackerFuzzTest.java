package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the packet parser and {@link ConnTracker#execute}, with the control operations that
 * run beside it: a script of packets (any bytes, in a zone, with commit, force, mark/label writes or NAT), clock
 * warps with a cleaner pass, flushes, dumps and limit changes, on a fresh tracker and a frozen clock.
 *
 * <h2>Input</h2> A sequence of records; the low 3 bits of a record's first byte say what it is:
 * <pre>
 * 0..3  packet   [op][arg][length u16][frame]   op bit 1: a second ct() on the same packet after the first (a
 *                                               recirculation), in the same zone, or in the next if op bit 0 is set;
 *                                               op bits 3..7: commit, force, ct_mark/ct_label write, nat, nat(dst);
 *                                               op bits 0..1 also pick the nat range; arg: zone (arg % 4), mark
 * 4     warp     [op][arg]   the clock moves arg * arg * 2 seconds, then a cleaner pass (time/warp)
 * 5     flush    [op][arg]   0: everything; bit 7: ct_mark == arg & 0x7f; else zone arg % 4
 * 6     dump     [op][arg]
 * 7     limit    [op][arg]   bit 7: ct-set-maxconns arg & 0x7f; else zone arg % 4 limited to (arg >> 2) & 0x1f
 * </pre>
 * The seeds are the oracle cases' packet scripts in this form (see {@code src/test/tools/make_fuzz_seeds.py}).
 *
 * <h2>Invariants, after every record</h2>
 * <ul>
 * <li>no exception; the frame is changed only inside {@code [off, off + len)};</li>
 * <li>every verdict is tracked; {@code +inv} comes alone ({@code +inv+trk}, as for garbage; with nat, the
 * connection's {@code +snat}/{@code +dnat} may join it, as in OVS); never {@code +new+est};
 * {@code +rpl} only with {@code +est} or {@code +rel}; {@code +snat}/{@code +dnat} only with nat;</li>
 * <li>counters balance: created = live + expired + flushed, and after a cleaner pass the live count is what a dump
 * lists;</li>
 * <li>a dump has at most one connection per zone and original tuple and per zone and reply tuple (NAT never hands
 * out a reply tuple twice), and dump and flush never throw; a full flush leaves nothing;</li>
 * <li>a commit never takes the global or a zone's count past its limit.</li>
 * </ul>
 *
 * <p>{@code mvn test} replays the inputs under {@code src/test/resources/dev/ofswitch/conntrack/
 * ConnTrackerFuzzTestInputs/}; {@code bin/fuzz ConnTrackerFuzzTest} fuzzes.
 */
class ConnTrackerFuzzTest {
    private static final int OFF = 2;
    private static final byte GUARD = (byte) 0xa5;
    private static final int ZONES = 4;

    /** nat ranges, by variant: 10.0.0.100-101 ports 1000-1001, 10.0.0.100-101, fd00::100-101 ports 1000-1001, bare. */
    private static final NatRequest[] NAT = {
        new NatRequest(0, 4, 0, 0x0a000064L, 0, 0x0a000065L, 1000, 1001),
        new NatRequest(0, 4, 0, 0x0a000064L, 0, 0x0a000065L, 0, 0),
        new NatRequest(0, 6, 0xfd00000000000000L, 0x100, 0xfd00000000000000L, 0x101, 1000, 1001),
        NatRequest.BARE,
    };

    @FuzzTest(maxDuration = "10m")
    void script_verdictsAreConsistentAndTheTableBalances(byte[] data) {
        ControllableClock clock = ControllableClock.manual(0);
        try (ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock).cleanerThread(false))) {
            new Script(ct, clock).run(data);
        }
    }

    private static final class Script {
        final ConnTracker ct;
        final ControllableClock clock;

        Script(ConnTracker ct, ControllableClock clock) {
            this.ct = ct;
            this.clock = clock;
        }

        void run(byte[] data) {
            int p = 0;
            while (p + 2 <= data.length) {
                int op = data[p] & 0xff;
                int arg = data[p + 1] & 0xff;
                p += 2;
                switch (op & 7) {
                    case 0, 1, 2, 3 -> {
                        if (p + 2 > data.length) {
                            return;
                        }
                        int len = Math.min(((data[p] & 0xff) << 8) | (data[p + 1] & 0xff), data.length - p - 2);
                        p += 2;
                        packet(op, arg, Arrays.copyOfRange(data, p, p + len));
                        p += len;
                    }
                    case 4 -> {
                        clock.warp(arg * arg * 2_000L);
                        ct.sweepNow();
                        checkTable(true);
                    }
                    case 5 -> flush(arg);
                    case 6 -> checkTable(false);
                    default -> limit(arg);
                }
            }
            checkTable(false);
        }

        private void packet(int op, int arg, byte[] frame) {
            int zone = arg % ZONES;
            CtParams.Builder b = CtParams.builder();
            boolean commit = (op & 0x08) != 0;
            boolean nat = (op & 0x40) != 0;
            b.commit(commit).force(commit && (op & 0x10) != 0);
            if ((op & 0x20) != 0) {
                b.mark(arg, 0xff).label(arg, (long) arg << 32, 0xffL, 0xffffffffL << 32);
            }
            if (nat) {
                NatRequest r = NAT[op & 3];
                int flags = r == NatRequest.BARE ? 0 : (op & 0x80) != 0 ? NatRequest.F_DST : NatRequest.F_SRC;
                b.nat(new NatRequest(flags, r.family(), r.minHi(), r.minLo(), r.maxHi(), r.maxLo(), r.portMin(),
                        r.portMax()));
            }
            CtParams params = b.build();
            CtMetadata md = new CtMetadata();
            byte[] buf = new byte[frame.length + 2 * OFF];
            Arrays.fill(buf, GUARD);
            System.arraycopy(frame, 0, buf, OFF, frame.length);
            int passes = (op & 2) != 0 ? 2 : 1;
            for (int i = 0; i < passes; i++) {
                if (i == 1 && (op & 1) != 0) {
                    zone = (zone + 1) % ZONES;
                }
                long countBefore = ct.connectionCount();
                int zoneBefore = ct.zoneCount(zone);
                ct.execute(buf, OFF, frame.length, zone, params, md, clock.nanoTime());
                String what = "after " + HexFormat.of().formatHex(frame) + " in zone " + zone + " with op "
                        + Integer.toHexString(op) + (i == 0 ? "" : " (second pass)");
                // The nat bits stay with the packet for a later ct() in the same zone (OVS handle_nat()).
                checkVerdict(md.state(), nat || i > 0, what);
                assertArrayEquals(new byte[] {GUARD, GUARD}, Arrays.copyOfRange(buf, 0, OFF),
                        () -> "nothing written before the frame " + what);
                assertArrayEquals(new byte[] {GUARD, GUARD}, Arrays.copyOfRange(buf, OFF + frame.length, buf.length),
                        () -> "nothing written after the frame " + what);
                assertTrue(ct.connectionCount() <= Math.max(countBefore, ct.connLimit()),
                        () -> "the global limit holds " + what);
                int zoneAfter = ct.zoneCount(zone);
                if (zoneAfter >= 0) {
                    int[] own = ct.zoneLimits().get(zone);
                    int limit = own != null ? own[0] : ct.defaultZoneLimit();
                    assertTrue(zoneAfter <= Math.max(zoneBefore, limit), () -> "the zone limit holds " + what);
                }
                checkCounters(what);
            }
        }

        private void checkVerdict(int state, boolean nat, String what) {
            String s = CtState.format(state);
            assertTrue((state & CtState.TRK) != 0, () -> "tracked: " + s + " " + what);
            if ((state & CtState.INV) != 0) {
                // Alone but for the nat bits: OVS runs handle_nat() after an invalid verdict too, so an invalid
                // packet of a translated connection is +inv+trk+snat, and translated (checked with ovs-oracle).
                assertEquals(CtState.INV | CtState.TRK, state & ~(CtState.SNAT | CtState.DNAT),
                        () -> "+inv comes alone: " + s + " " + what);
            }
            assertTrue((state & (CtState.NEW | CtState.EST)) != (CtState.NEW | CtState.EST),
                    () -> "never new and established: " + s + " " + what);
            if ((state & CtState.RPL) != 0) {
                // +est+rpl, or +rel+rpl for an ICMP error the other way (OVS conn_update_state()).
                assertTrue((state & (CtState.EST | CtState.REL)) != 0, () -> "a reply is established or related: " + s
                        + " " + what);
            }
            if (!nat) {
                assertEquals(0, state & (CtState.SNAT | CtState.DNAT), () -> "no nat bits without nat: " + s + " "
                        + what);
            }
        }

        private void flush(int arg) {
            ConnFilter f = arg == 0 ? ConnFilter.all()
                    : (arg & 0x80) != 0 ? ConnFilter.all().withMark(arg & 0x7f, 0xff) : ConnFilter.zone(arg % ZONES);
            long now = clock.nanoTime();
            int before = ct.dump(-1, now).size();
            int n = ct.flush(f, now);
            int after = ct.dump(-1, now).size();
            // The count includes expired connections the cleaner has not deleted yet, which no dump lists.
            assertTrue(after <= before && after >= before - n, () -> "flush " + arg + " deleted " + n + " of " + before
                    + ", " + after + " left");
            if (arg == 0) {
                assertEquals(0, after, "a full flush leaves nothing");
                assertEquals(0, ct.connectionCount(), "a full flush leaves nothing counted");
            }
            checkCounters("after flush " + arg);
        }

        private void limit(int arg) {
            if ((arg & 0x80) != 0) {
                ct.setConnLimit(arg & 0x7f);
            } else {
                ct.setZoneLimit(arg % ZONES, (arg >> 2) & 0x1f);
            }
        }

        private void checkCounters(String what) {
            CtStats s = ct.stats();
            assertEquals(s.created(), s.connections() + s.expired() + s.flushed(),
                    () -> "created = live + expired + flushed: " + s + " " + what);
        }

        /** Dump invariants; {@code swept}: a cleaner pass just ran at this time, so nothing expired is left. */
        private void checkTable(boolean swept) {
            long now = clock.nanoTime();
            List<ConnEntry> all = ct.dump(-1, now);
            Set<String> orig = new HashSet<>();
            Set<String> reply = new HashSet<>();
            for (ConnEntry e : all) {
                String text = e.format(true, true);
                assertTrue(orig.add(e.zone() + " " + e.orig()), () -> "one connection per original tuple: " + text);
                assertTrue(reply.add(e.zone() + " " + e.reply()), () -> "one connection per reply tuple: " + text);
            }
            assertTrue(ct.connectionCount() >= all.size(), "every listed connection is counted");
            if (swept) {
                assertEquals(all.size(), ct.connectionCount(), () -> "after a cleaner pass, live = listed: " + all);
            }
            checkCounters("at a dump");
        }
    }
}
