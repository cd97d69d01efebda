package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The expiry structure (per-bucket expiry lists keyed by timeout value, re-armed by every packet, swept by the
 * cleaner) against a reference model that is just a map of deadlines, as Caffeine's timer-wheel fuzzer checks its
 * wheel and OVS's {@code test-classifier.c} checks its classifier against a linear scan.
 *
 * <p>Random sequences of UDP packets (committing originals, replies) on a small pool of tuples in four zones, clock
 * advances, cleaner passes, zone flushes and timeout-policy changes (0 to 3 s per key, so that expiries happen all the
 * time, and connections in one bucket share some timeouts and differ in others) run against both. After every step
 * the dumped connections, their {@code timeout=} and the packet verdicts must agree, and after every pass the number
 * deleted and the connection count. Clocks start anywhere, including the extremes, and trackers have mostly one
 * bucket (every connection shares its lists), else 2, 4 or 256. Checked against mutants: a re-arm that does not move
 * the entry to the tail of its list fails within a few hundred tries, an off-by-one expiry within a few.
 */
class ExpiryModelPropertyTest {
    private static final int ZONES = 4;
    private static final int PORTS = 4;

    /** One step of a run. */
    sealed interface Step permits Packet, Advance, Sweep, SetPolicy, Flush {
    }

    /** A UDP datagram A:port → B:53 ({@code reply} false, committed) or B:53 → A:port (looked up) in {@code zone}. */
    record Packet(int zone, int port, boolean reply) implements Step {
    }

    record Advance(int millis) implements Step {
    }

    record Sweep() implements Step {
    }

    /** Zone policy with udp_first, udp_single, udp_multiple in seconds, for connections committed from now on. */
    record SetPolicy(int zone, int first, int single, int multiple) implements Step {
    }

    record Flush(int zone) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> packet = Combinators.combine(Arbitraries.integers().between(0, ZONES - 1),
                Arbitraries.integers().between(1, PORTS), Arbitraries.of(false, false, true)).as(Packet::new);
        Arbitrary<Step> advance = Arbitraries.oneOf(Arbitraries.integers().between(0, 1500),
                Arbitraries.of(1, 999, 1000, 1001, 3000)).map(Advance::new);
        // Few distinct values, so that connections of different states and zones often share a timeout value (and
        // so an expiry list) while others differ.
        Arbitrary<Integer> seconds = Arbitraries.of(0, 1, 2, 2, 2, 3);
        Arbitrary<Step> policy = Combinators.combine(Arbitraries.integers().between(0, ZONES - 1), seconds, seconds,
                seconds).as(SetPolicy::new);
        Arbitrary<Step> sweep = Arbitraries.just(new Sweep());
        Arbitrary<Step> flush = Arbitraries.integers().between(0, ZONES - 1).map(Flush::new);
        Arbitrary<List<Step>> body = Arbitraries.frequencyOf(
                Tuple.of(12, packet),
                Tuple.of(6, advance),
                Tuple.of(3, sweep),
                Tuple.of(1, policy),
                Tuple.of(1, flush)).list().ofMinSize(1).ofMaxSize(100);
        // Every zone starts with a policy of short timeouts; zone ZONES - 1 keeps OVS's defaults.
        Arbitrary<List<Step>> initial = Combinators.combine(seconds, seconds, seconds).as(
                (a, b, c) -> (Step) new SetPolicy(0, a, b, c)).list().ofSize(ZONES - 1).map(l -> {
                    List<Step> out = new ArrayList<>();
                    for (int z = 0; z < l.size(); z++) {
                        SetPolicy sp = (SetPolicy) l.get(z);
                        out.add(new SetPolicy(z, sp.first(), sp.single(), sp.multiple()));
                    }
                    return out;
                });
        return Combinators.combine(initial, body).as((i, b) -> {
            List<Step> all = new ArrayList<>(i);
            all.addAll(b);
            return all;
        });
    }

    @Provide
    Arbitrary<Long> starts() {
        return Arbitraries.oneOf(Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE - 3_000_000_000L, Long.MAX_VALUE, 0L,
                -1L), Arbitraries.longs());
    }

    @Property(tries = 1000)
    void tracker_agreesWithADeadlineMap(@ForAll("steps") List<Step> steps, @ForAll("starts") long start,
                                        @ForAll("bucketCounts") int buckets) {
        ControllableClock clock = ControllableClock.manual(start);
        try (ConnTracker tracker = new ConnTracker(ConnTrackerConfig.defaults().clock(clock).buckets(buckets)
                .cleanerThread(false))) {
            Model model = new Model();
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String where = "step " + i + " " + step;
                if (step instanceof Packet p) {
                    byte[] f = p.reply()
                            ? Frames.ipv4("10.0.0.2", "10.0.0.1").udp(53, p.port()).build()
                            : Frames.ipv4("10.0.0.1", "10.0.0.2").udp(p.port(), 53).build();
                    CtMetadata md = new CtMetadata();
                    tracker.execute(f, 0, f.length, p.zone(), p.reply() ? CtParams.LOOKUP : CtParams.COMMIT, md,
                            clock.nanoTime());
                    assertEquals(model.packet(p), CtState.format(md.state()), where);
                } else if (step instanceof Advance a) {
                    clock.warp(a.millis());
                    model.nowMillis += a.millis();
                } else if (step instanceof Sweep) {
                    assertEquals(model.sweep(), tracker.sweepNow(), where + ": deleted");
                } else if (step instanceof SetPolicy sp) {
                    tracker.setTimeoutPolicy(sp.zone(), TimeoutPolicy.defaults()
                            .with(TimeoutKey.UDP_FIRST, sp.first())
                            .with(TimeoutKey.UDP_SINGLE, sp.single())
                            .with(TimeoutKey.UDP_MULTIPLE, sp.multiple()));
                    model.policies.put(sp.zone(), new int[] {sp.first(), sp.single(), sp.multiple()});
                } else if (step instanceof Flush fl) {
                    tracker.flush(ConnFilter.zone(fl.zone()), clock.nanoTime());
                    model.conns.keySet().removeIf(k -> k / 100 == fl.zone());
                }
                assertEquals(model.live(), dump(tracker, clock.nanoTime()), where + ": dump");
                assertEquals(model.conns.size(), tracker.connectionCount(), where + ": count");
            }
        }
    }

    @Provide
    Arbitrary<Integer> bucketCounts() {
        return Arbitraries.of(1, 1, 2, 4, 256);
    }

    /** zone * 100 + port → seconds left, from the tracker's dump. */
    private static Map<Integer, Long> dump(ConnTracker tracker, long now) {
        Map<Integer, Long> out = new TreeMap<>();
        for (ConnEntry e : tracker.dump(-1, now)) {
            out.put(e.zone() * 100 + e.orig().srcPort(), e.timeoutSeconds());
        }
        return out;
    }

    /** The reference: connections by zone * 100 + port, each with a deadline in milliseconds since the start. */
    static final class Model {
        static final int FIRST = 0;
        static final int MULTIPLE = 1;
        static final int BIDIR = 2;

        long nowMillis;
        final Map<Integer, int[]> policies = new HashMap<>();
        /** key → {state, deadline millis, udp_first, udp_single, udp_multiple} (the policy bound at commit). */
        final Map<Integer, long[]> conns = new HashMap<>();

        /** Applies a packet and returns the verdict OVS gives it. */
        String packet(Packet p) {
            int key = p.zone() * 100 + p.port();
            long[] c = conns.get(key);
            if (c != null && nowMillis >= c[1]) {
                conns.remove(key);      // a lookup that meets an expired connection deletes it
                c = null;
            }
            if (c == null) {
                if (!p.reply()) {
                    int[] pol = policies.getOrDefault(p.zone(), new int[] {60, 60, 30});
                    conns.put(key, new long[] {FIRST, nowMillis + pol[0] * 1000L, pol[0], pol[1], pol[2]});
                }
                return "new|trk";
            }
            if (p.reply()) {
                c[0] = BIDIR;
            } else if (c[0] == FIRST) {
                c[0] = MULTIPLE;
            }
            c[1] = nowMillis + c[2 + (int) c[0]] * 1000L;
            if (c[0] != BIDIR) {
                return "new|trk";
            }
            return p.reply() ? "est|rpl|trk" : "est|trk";
        }

        /** A cleaner pass: deletes every expired connection and returns how many. */
        int sweep() {
            int before = conns.size();
            conns.values().removeIf(c -> nowMillis >= c[1]);
            return before - conns.size();
        }

        /** What a dump shows: live connections and their whole seconds left. */
        Map<Integer, Long> live() {
            Map<Integer, Long> out = new TreeMap<>();
            conns.forEach((k, c) -> {
                if (nowMillis < c[1]) {
                    out.put(k, (c[1] - nowMillis) / 1000);
                }
            });
            return out;
        }
    }
}
