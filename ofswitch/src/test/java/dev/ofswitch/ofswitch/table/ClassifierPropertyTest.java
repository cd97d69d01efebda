package dev.ofswitch.ofswitch.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link Classifier} against {@link LinearClassifier} on random rules, masks, priorities, lookups, inserts and
 * removals, as OVS's {@code tests/test-classifier.c} checks its classifier against {@code struct tcls}. Key words use
 * a few bits each (bits 0, 1 and 63 of words 0–2, bit 5 of word 3) so that random rules and keys collide often:
 * masks repeat (several rules per subtable), priorities repeat (ties), and lookups hit.
 */
class ClassifierPropertyTest {
    private static final int W = 4;
    private static final long[] BITS = {1L, 2L, 1L << 63};
    private static final int[] PRIORITIES = {0, 1, 2, 5, 65535};

    sealed interface Op permits Insert, Remove, Modify, Lookup, Loose, Overlap {}

    record Insert(long[] match, int maskIndex, int priority, int payload) implements Op {}

    record Remove(int pick) implements Op {}

    record Modify(int pick, int payload) implements Op {}

    record Lookup(long[] key, long perturbSeed) implements Op {}

    record Loose(long[] match, int maskIndex) implements Op {}

    record Overlap(long[] match, int maskIndex, int priority) implements Op {}

    @Property(tries = 400)
    void classifier_agreesWithLinearReference(
            @ForAll("ops") List<Op> ops, @ForAll long maskSeed, @ForAll boolean staged, @ForAll TieBreak ties) {
        long[][] masks = maskPool(maskSeed);
        Classifier<Integer> cls = staged ? new Classifier<>(ties, W, 1, 2, 3) : new Classifier<>(ties, W);
        LinearClassifier<Integer> ref = new LinearClassifier<>(ties, W);
        for (Op op : ops) {
            apply(op, masks, cls, ref);
            assertEquals(ref.size(), cls.size());
        }
        assertEquals(canonical(ref.rules()), canonical(cls.rules()));
        // Every key of the domain, without and with wildcard tracking.
        for (int x = 0; x < 1024; x++) {
            long[] key = keyOf(x);
            assertSameRule(cls.lookup(key), ref.lookup(key), key);
            checkTracking(cls, ref, key, x);
        }
    }

    private static void apply(Op op, long[][] masks, Classifier<Integer> cls, LinearClassifier<Integer> ref) {
        if (op instanceof Insert in) {
            long[] mask = masks[in.maskIndex() % masks.length];
            Rule<Integer> a = cls.insert(in.match(), mask, in.priority(), in.payload());
            Rule<Integer> b = ref.insert(in.match(), mask, in.priority(), in.payload());
            assertSameRule(a, b, in.match());
            assertSame(a, cls.findExactly(in.match(), mask, in.priority()));
        } else if (op instanceof Remove rm) {
            List<Rule<Integer>> rules = sorted(ref.rules());
            if (rules.isEmpty()) {
                return;
            }
            Rule<Integer> b = rules.get(Math.floorMod(rm.pick(), rules.size()));
            Rule<Integer> a = cls.findExactly(b.match(), b.mask(), b.priority());
            assertSameRule(a, b, b.match());
            assertTrue(cls.remove(a));
            assertTrue(ref.remove(b));
            assertFalse(cls.remove(a));
            assertNull(cls.findExactly(b.match(), b.mask(), b.priority()));
        } else if (op instanceof Modify md) {
            List<Rule<Integer>> rules = sorted(ref.rules());
            if (rules.isEmpty()) {
                return;
            }
            Rule<Integer> b = rules.get(Math.floorMod(md.pick(), rules.size()));
            Rule<Integer> a = cls.findExactly(b.match(), b.mask(), b.priority());
            assertSameRule(cls.replacePayload(a, md.payload()), ref.replacePayload(b, md.payload()), b.match());
            assertNull(cls.replacePayload(a, md.payload()));
        } else if (op instanceof Lookup lk) {
            assertSameRule(cls.lookup(lk.key()), ref.lookup(lk.key()), lk.key());
            checkTracking(cls, ref, lk.key(), lk.perturbSeed());
        } else if (op instanceof Loose lo) {
            long[] mask = lo.maskIndex() < 0 ? new long[W] : masks[lo.maskIndex() % masks.length];
            assertEquals(canonical(ref.findLoose(lo.match(), mask)), canonical(cls.findLoose(lo.match(), mask)));
        } else if (op instanceof Overlap ov) {
            long[] mask = masks[ov.maskIndex() % masks.length];
            assertEquals(ref.overlaps(ov.match(), mask, ov.priority()), cls.overlaps(ov.match(), mask, ov.priority()));
        }
    }

    /**
     * The megaflow property (OVS classifier.h, "Un-wildcarding"): every key that agrees with {@code key} on the
     * returned wildcard bits gets the same rule from the reference.
     */
    private static void checkTracking(Classifier<Integer> cls, LinearClassifier<Integer> ref, long[] key, long seed) {
        long[] wc = new long[W];
        Rule<Integer> got = cls.lookup(key, wc);
        assertSameRule(got, ref.lookup(key), key);
        Random rnd = new Random(seed);
        for (int t = 0; t < 8; t++) {
            long[] other = new long[W];
            long[] noise = t < 4 ? keyOf(rnd.nextInt(1024)) : new long[] {
                rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()};
            for (int i = 0; i < W; i++) {
                other[i] = (key[i] & wc[i]) | (noise[i] & ~wc[i]);
            }
            assertSameRule(got, ref.lookup(other), other);
        }
    }

    private static void assertSameRule(Rule<Integer> a, Rule<Integer> b, long[] key) {
        assertEquals(describe(b), describe(a), () -> "key " + Arrays.toString(key));
    }

    private static String describe(Rule<Integer> r) {
        if (r == null) {
            return "none";
        }
        return Arrays.toString(r.match()) + "/" + Arrays.toString(r.mask()) + " pri=" + r.priority()
                + " seq=" + r.installSeq() + " payload=" + r.payload();
    }

    private static List<String> canonical(List<Rule<Integer>> rules) {
        List<String> out = new ArrayList<>();
        for (Rule<Integer> r : rules) {
            out.add(describe(r));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static List<Rule<Integer>> sorted(List<Rule<Integer>> rules) {
        List<Rule<Integer>> out = new ArrayList<>(rules);
        out.sort(Comparator.comparingLong(Rule::installSeq));
        return out;
    }

    /** Key number {@code x} of the 1024-key domain: 3 bits in each of words 0–2 and one in word 3. */
    static long[] keyOf(int x) {
        long[] k = new long[W];
        for (int w = 0; w < 3; w++) {
            for (int b = 0; b < 3; b++) {
                if ((x >> (w * 3 + b) & 1) != 0) {
                    k[w] |= BITS[b];
                }
            }
        }
        if ((x & 512) != 0) {
            k[3] = 1L << 5;
        }
        return k;
    }

    /** Six masks over the domain bits; sometimes one is all-zero (catch-all) or all-ones. */
    static long[][] maskPool(long seed) {
        Random rnd = new Random(seed);
        long[][] pool = new long[6][];
        for (int p = 0; p < pool.length; p++) {
            long[] m = new long[W];
            int kind = rnd.nextInt(10);
            for (int w = 0; w < 3; w++) {
                for (long bit : BITS) {
                    if (kind == 0 || (kind > 1 && rnd.nextBoolean())) {
                        m[w] |= bit;
                    }
                }
            }
            if (kind == 0 || rnd.nextInt(4) == 0) {
                m[3] = kind == 0 ? -1L : 1L << 5;
            }
            pool[p] = m;
        }
        return pool;
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<long[]> key = Arbitraries.integers().between(0, 1023).map(ClassifierPropertyTest::keyOf);
        Arbitrary<Integer> maskIndex = Arbitraries.integers().between(0, 5);
        Arbitrary<Integer> priority = Arbitraries.of(0, 1, 2, 3, 4).map(i -> PRIORITIES[i]);
        Arbitrary<Integer> payload = Arbitraries.integers().between(0, 99);
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
        Arbitrary<Op> insert = Combinators.combine(key, maskIndex, priority, payload).as(Insert::new);
        Arbitrary<Op> remove = pick.map(Remove::new);
        Arbitrary<Op> modify = Combinators.combine(pick, payload).as(Modify::new);
        Arbitrary<Op> lookup = Combinators.combine(key, Arbitraries.longs()).as(Lookup::new);
        Arbitrary<Op> loose = Combinators.combine(key, Arbitraries.integers().between(-1, 5)).as(Loose::new);
        Arbitrary<Op> overlap = Combinators.combine(key, maskIndex, priority).as(Overlap::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(8, insert),
                        Tuple.of(4, remove),
                        Tuple.of(1, modify),
                        Tuple.of(4, lookup),
                        Tuple.of(1, loose),
                        Tuple.of(1, overlap))
                .list()
                .ofMinSize(1)
                .ofMaxSize(120);
    }
}
