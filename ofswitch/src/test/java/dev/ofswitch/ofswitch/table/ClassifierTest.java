package dev.ofswitch.ofswitch.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tricky parts of {@link Classifier}, one at a time. Keys are 4 words; the classifier used by most tests has a
 * stage per word. Tests are named {@code subject_condition}.
 */
class ClassifierTest {
    private static final long ALL = -1L;

    private static long[] k(long... words) {
        return words;
    }

    private static Classifier<String> staged() {
        return new Classifier<>(4, 1, 2, 3);
    }

    @Test
    void lookup_higherPriorityWinsAcrossSubtables() {
        Classifier<String> cls = staged();
        cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 10, "port");
        cls.insert(k(1, 0, 7, 0), k(ALL, 0, ALL, 0), 20, "port+ip");
        cls.insert(k(0, 0, 0, 0), k(0, 0, 0, 0), 0, "default");
        assertEquals("port+ip", cls.lookup(k(1, 5, 7, 9)).payload());
        assertEquals("port", cls.lookup(k(1, 5, 8, 9)).payload());
        assertEquals("default", cls.lookup(k(2, 5, 7, 9)).payload());
        assertEquals(3, cls.subtableCount());
    }

    @Test
    void lookup_lowerPriorityInMoreSpecificSubtableLoses() {
        Classifier<String> cls = staged();
        cls.insert(k(1, 0, 7, 0), k(ALL, 0, ALL, 0), 5, "specific");
        cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 50, "broad");
        assertEquals("broad", cls.lookup(k(1, 0, 7, 0)).payload());
    }

    @Test
    void lookup_samePriorityTieGoesToEarliestInstalled() {
        Classifier<String> a = staged();
        a.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 7, "first");
        a.insert(k(0, 2, 0, 0), k(0, ALL, 0, 0), 7, "second");
        assertEquals("first", a.lookup(k(1, 2, 0, 0)).payload());

        Classifier<String> b = staged();
        b.insert(k(0, 2, 0, 0), k(0, ALL, 0, 0), 7, "first");
        b.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 7, "second");
        assertEquals("first", b.lookup(k(1, 2, 0, 0)).payload());

        long[] wc = new long[4];
        assertEquals("first", b.lookup(k(1, 2, 0, 0), wc).payload());
        assertArrayEquals(k(ALL, ALL, 0, 0), wc, "both subtables were consulted for the tie");

        b.remove(b.findExactly(k(0, 2, 0, 0), k(0, ALL, 0, 0), 7));
        assertEquals("second", b.lookup(k(1, 2, 0, 0)).payload());
    }

    @Test
    void lookup_subtableOrderTies_goToHigherMaxPriorityThenOlderSubtable() {
        Classifier<String> cls = new Classifier<>(TieBreak.SUBTABLE_ORDER, 4, 1, 2, 3);
        cls.insert(k(9, 0, 0, 0), k(ALL, 0, 0, 0), 7, "creates the port subtable");
        cls.insert(k(0, 2, 0, 0), k(0, ALL, 0, 0), 7, "older rule, younger subtable");
        cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 7, "younger rule, older subtable");
        assertEquals("younger rule, older subtable", cls.lookup(k(1, 2, 0, 0)).payload());
        long[] wc = new long[4];
        assertEquals("younger rule, older subtable", cls.lookup(k(1, 2, 0, 0), wc).payload());
        assertArrayEquals(k(ALL, 0, 0, 0), wc, "the lookup stopped at the first hit");

        // A higher maximum priority ranks a subtable first, whatever its age.
        cls.insert(k(0, 5, 0, 0), k(0, ALL, 0, 0), 8, "raises the younger subtable");
        assertEquals("older rule, younger subtable", cls.lookup(k(1, 2, 0, 0)).payload());

        Classifier<String> earliest = new Classifier<>(TieBreak.EARLIEST_INSTALLED, 4, 1, 2, 3);
        earliest.insert(k(9, 0, 0, 0), k(ALL, 0, 0, 0), 7, "creates the port subtable");
        earliest.insert(k(0, 2, 0, 0), k(0, ALL, 0, 0), 7, "older rule, younger subtable");
        earliest.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 7, "younger rule, older subtable");
        assertEquals("older rule, younger subtable", earliest.lookup(k(1, 2, 0, 0)).payload());
    }

    @Test
    void insert_identicalMatchMaskPriority_replacesAndKeepsInstallOrder() {
        Classifier<String> cls = staged();
        Rule<String> old = cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 7, "old");
        cls.insert(k(0, 2, 0, 0), k(0, ALL, 0, 0), 7, "other");
        // Bits outside the mask are ignored: this is the same match.
        Rule<String> neu = cls.insert(k(1, 99, 0, 0), k(ALL, 0, 0, 0), 7, "new");
        assertEquals(2, cls.size());
        assertEquals(old.installSeq(), neu.installSeq());
        assertArrayEquals(k(1, 0, 0, 0), neu.match());
        assertEquals("new", cls.lookup(k(1, 2, 0, 0)).payload(), "the replacement keeps the tie-break rank");
        assertFalse(cls.remove(old));
        assertSame(neu, cls.findExactly(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 7));
    }

    @Test
    void insert_samMatchOtherPriorities_chainsInOneEntry() {
        Classifier<String> cls = staged();
        Rule<String> lo = cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 1, "lo");
        Rule<String> hi = cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 9, "hi");
        Rule<String> mid = cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 5, "mid");
        assertSame(hi, cls.lookup(k(1, 0, 0, 0)));
        assertTrue(cls.remove(hi));
        assertSame(mid, cls.lookup(k(1, 0, 0, 0)));
        assertTrue(cls.remove(mid));
        assertSame(lo, cls.lookup(k(1, 0, 0, 0)));
        assertEquals(1, cls.subtableCount());
    }

    @Test
    void remove_lastRuleOfSubtable_dropsSubtableAndKeepsOthers() {
        Classifier<String> cls = staged();
        Rule<String> only = cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 100, "only");
        cls.insert(k(0, 0, 3, 0), k(0, 0, ALL, 0), 1, "low");
        assertEquals(2, cls.subtableCount());
        assertEquals("only", cls.lookup(k(1, 0, 3, 0)).payload());
        assertTrue(cls.remove(only));
        assertEquals(1, cls.subtableCount());
        assertEquals("low", cls.lookup(k(1, 0, 3, 0)).payload());
        assertNull(cls.lookup(k(1, 0, 4, 0)));
        assertFalse(cls.remove(only));
        // The mask can come back as a fresh subtable.
        cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 100, "again");
        assertEquals("again", cls.lookup(k(1, 0, 3, 0)).payload());
    }

    @Test
    void remove_maxPriorityRule_reordersSubtables() {
        Classifier<String> cls = staged();
        Rule<String> top = cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 100, "top");
        cls.insert(k(2, 0, 0, 0), k(ALL, 0, 0, 0), 1, "bottom");
        cls.insert(k(0, 0, 3, 0), k(0, 0, ALL, 0), 50, "middle");
        assertEquals("middle", cls.lookup(k(2, 0, 3, 0)).payload());
        cls.remove(top);
        cls.insert(k(2, 0, 0, 0), k(ALL, 0, 0, 0), 60, "raised");
        assertEquals("raised", cls.lookup(k(2, 0, 3, 0)).payload());
    }

    @Test
    void findExactly_isStrictOnMaskAndPriority() {
        Classifier<String> cls = staged();
        cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 5, "r");
        assertNotNull(cls.findExactly(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 5));
        assertNull(cls.findExactly(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 6));
        assertNull(cls.findExactly(k(1, 0, 0, 0), k(0xff, 0, 0, 0), 5));
        assertNull(cls.findExactly(k(2, 0, 0, 0), k(ALL, 0, 0, 0), 5));
    }

    @Test
    void findLoose_selectsRulesAtLeastAsSpecific_anyPriority() {
        Classifier<String> cls = staged();
        cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 5, "port1");
        cls.insert(k(1, 0, 7, 0), k(ALL, 0, ALL, 0), 9, "port1+ip7");
        cls.insert(k(1, 0, 8, 0), k(ALL, 0, 0xff, 0), 1, "port1+ip8/8");
        cls.insert(k(2, 0, 7, 0), k(ALL, 0, ALL, 0), 5, "port2+ip7");
        cls.insert(k(0, 0, 0, 0), k(0, 0, 0, 0), 0, "default");

        assertEquals(Set.of("port1", "port1+ip7", "port1+ip8/8"), payloads(cls.findLoose(k(1, 0, 0, 0), k(ALL, 0, 0, 0))));
        assertEquals(Set.of("port1+ip7"), payloads(cls.findLoose(k(1, 0, 7, 0), k(ALL, 0, ALL, 0))));
        // A rule less specific than the filter (port1, port1+ip8/8 on ip) is not selected.
        assertEquals(Set.of("port1+ip7", "port2+ip7"), payloads(cls.findLoose(k(0, 0, 7, 0), k(0, 0, ALL, 0))));
        assertEquals(5, cls.findLoose(k(0, 0, 0, 0), k(0, 0, 0, 0)).size(), "an all-wildcard filter selects all");
        // Strict: only the exact one.
        assertEquals("port1", cls.findExactly(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 5).payload());
    }

    @Test
    void overlaps_needsSamePriorityAndACommonPacket() {
        Classifier<String> cls = staged();
        cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 5, "port1");
        assertTrue(cls.overlaps(k(0, 0, 7, 0), k(0, 0, ALL, 0), 5), "port=1 and ip=7 share packets");
        assertFalse(cls.overlaps(k(0, 0, 7, 0), k(0, 0, ALL, 0), 6), "other priority");
        assertFalse(cls.overlaps(k(2, 0, 7, 0), k(ALL, 0, ALL, 0), 5), "port=2 is disjoint");
        assertTrue(cls.overlaps(k(1, 0, 7, 0), k(ALL, 0, ALL, 0), 5), "more specific, inside");
        assertTrue(cls.overlaps(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 5), "identical counts, as in OVS");
        assertTrue(cls.overlaps(k(0, 0, 0, 0), k(0, 0, 0, 0), 5), "catch-all");
        assertFalse(cls.overlaps(k(0, 0, 0, 0), k(1, 0, 0, 0), 5), "port bit 0 clear excludes port 1");
    }

    @Test
    void lookupTracking_missInFirstStage_unwildcardsOnlyThatStage() {
        Classifier<String> cls = staged();
        cls.insert(k(1, 0, 7, 3), k(0xff, 0, ALL, 0xf), 5, "r");
        long[] wc = new long[4];
        assertNull(cls.lookup(k(2, 0, 7, 3), wc));
        assertArrayEquals(k(0xff, 0, 0, 0), wc);

        wc = new long[4];
        assertNull(cls.lookup(k(1, 0, 8, 3), wc));
        assertArrayEquals(k(0xff, 0, ALL, 0), wc, "the miss in the ip stage stops before the last word");

        wc = new long[4];
        assertEquals("r", cls.lookup(k(1, 0, 7, 3), wc).payload());
        assertArrayEquals(k(0xff, 0, ALL, 0xf), wc);
    }

    @Test
    void lookupTracking_skippedLowerPrioritySubtables_stayWildcarded() {
        Classifier<String> cls = staged();
        cls.insert(k(1, 0, 0, 0), k(ALL, 0, 0, 0), 10, "high");
        cls.insert(k(0, 0, 0, 5), k(0, 0, 0, ALL), 1, "low");
        long[] wc = new long[4];
        assertEquals("high", cls.lookup(k(1, 0, 0, 5), wc).payload());
        assertArrayEquals(k(ALL, 0, 0, 0), wc);
    }

    @Test
    void constructor_rejectsBadStagesAndKeysOfWrongWidth() {
        assertThrows(IllegalArgumentException.class, () -> new Classifier<String>(4, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Classifier<String>(4, 4));
        assertThrows(IllegalArgumentException.class, () -> new Classifier<String>(0));
        assertThrows(IllegalArgumentException.class, () -> staged().insert(new long[3], new long[4], 1, "x"));
    }

    @Test
    void churn_manyInsertsAndRemovesInFewSubtables_matchesLinearReference() {
        Random rnd = new Random(42);
        Classifier<Integer> cls = new Classifier<>(4, 1, 2, 3);
        LinearClassifier<Integer> ref = new LinearClassifier<>(4);
        long[][] masks = {k(ALL, 0, 0, 0), k(0xffff, 0, 0xff, 0), k(0, 0, 0, 0xfff), k(0xf, 0xf, 0xf, 0xf)};
        List<long[]> installed = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            if (installed.isEmpty() || rnd.nextInt(100) < 55) {
                long[] m = masks[rnd.nextInt(masks.length)];
                long[] v = k(rnd.nextInt(64), rnd.nextInt(4), rnd.nextInt(64), rnd.nextInt(64));
                int pri = rnd.nextInt(8);
                cls.insert(v, m, pri, step);
                ref.insert(v, m, pri, step);
                installed.add(new long[] {v[0], v[1], v[2], v[3], pri, indexOf(masks, m)});
            } else {
                long[] x = installed.remove(rnd.nextInt(installed.size()));
                long[] v = k(x[0], x[1], x[2], x[3]);
                long[] m = masks[(int) x[5]];
                Rule<Integer> a = cls.findExactly(v, m, (int) x[4]);
                Rule<Integer> b = ref.findExactly(v, m, (int) x[4]);
                assertEquals(a == null, b == null);
                if (a != null) {
                    assertTrue(cls.remove(a));
                    assertTrue(ref.remove(b));
                }
            }
            long[] key = k(rnd.nextInt(64), rnd.nextInt(4), rnd.nextInt(64), rnd.nextInt(64));
            Rule<Integer> a = cls.lookup(key);
            Rule<Integer> b = ref.lookup(key);
            assertEquals(b == null ? null : b.payload(), a == null ? null : a.payload(), "step " + step);
            assertEquals(ref.size(), cls.size());
        }
    }

    private static int indexOf(long[][] masks, long[] m) {
        for (int i = 0; i < masks.length; i++) {
            if (masks[i] == m) {
                return i;
            }
        }
        throw new AssertionError();
    }

    @Test
    void lookup_allocatesNothing() {
        Classifier<String> cls = staged();
        for (int i = 0; i < 200; i++) {
            cls.insert(k(i, 0, i * 3, 0), k(ALL, 0, ALL, 0), i % 3, "r" + i);
            cls.insert(k(0, i, 0, 0), k(0, 0xff, 0, 0), 1, "s" + i);
        }
        long[] key = k(5, 5, 15, 0);
        long[] wc = new long[4];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += cls.lookup(key).priority() + cls.lookup(key, wc).priority();
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 100_000; i++) {
            key[1] = i & 0x1ff;
            Rule<String> r = cls.lookup(key);
            Rule<String> s = cls.lookup(key, wc);
            sink += (r == null ? 0 : 1) + (s == null ? 0 : 1);
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(sink > 0);
        assertTrue(allocated < 4096, "200 000 lookups allocated " + allocated + " bytes");
    }

    /**
     * One writer churns low-priority rules (forcing growth, tombstones and rehashes in the subtables it shares with the
     * stable rules) while readers look up keys that a stable high-priority rule matches: a reader must never miss it,
     * and must never get a rule that does not match.
     */
    @ParameterizedTest
    @EnumSource(TieBreak.class)
    void concurrentLookups_duringChurn_neverMissStableRulesNorReturnNonMatching(TieBreak ties) throws Exception {
        Classifier<Integer> cls = new Classifier<>(ties, 4, 1, 2, 3);
        long[] stableMask = k(ALL, 0, ALL, 0);
        for (int i = 0; i < 64; i++) {
            cls.insert(k(i, 0, 1000 + i, 0), stableMask, 100, i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int seed = t;
            Thread reader = new Thread(() -> {
                Random rnd = new Random(seed);
                long[] wc = new long[4];
                try {
                    while (!stop.get()) {
                        int i = rnd.nextInt(64);
                        long[] key = k(i, rnd.nextInt(16), 1000 + i, rnd.nextInt(16));
                        Rule<Integer> r = (i & 1) == 0 ? cls.lookup(key) : cls.lookup(key, wc);
                        if (r == null || r.payload() != i || r.priority() != 100) {
                            throw new AssertionError("key " + i + " got " + r);
                        }
                        long[] other = k(rnd.nextInt(64), rnd.nextInt(16), rnd.nextInt(64), rnd.nextInt(16));
                        Rule<Integer> o = cls.lookup(other);
                        if (o != null && !o.matches(other)) {
                            throw new AssertionError("non-matching " + o);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            reader.start();
            readers.add(reader);
        }
        Random rnd = new Random(7);
        long[][] masks = {stableMask, k(ALL, 0, 0, 0), k(0, 0xf, 0, 0xf)};
        List<Rule<Integer>> churn = new ArrayList<>();
        long deadline = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < deadline && failure.get() == null) {
            for (int n = 0; n < 1000; n++) {
                if (churn.size() < 2000 && (churn.isEmpty() || rnd.nextBoolean())) {
                    long[] m = masks[rnd.nextInt(masks.length)];
                    long[] v = k(rnd.nextInt(64), rnd.nextInt(16), rnd.nextInt(5000), rnd.nextInt(16));
                    int pri = rnd.nextInt(100);
                    if (cls.findExactly(v, m, pri) == null) {
                        churn.add(cls.insert(v, m, pri, -1));
                    }
                } else {
                    assertTrue(cls.remove(churn.remove(rnd.nextInt(churn.size()))));
                }
            }
        }
        stop.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(64 + churn.size(), cls.size());
    }

    private static Set<String> payloads(List<Rule<String>> rules) {
        Set<String> out = new HashSet<>();
        for (Rule<String> r : rules) {
            out.add(r.payload());
        }
        return out;
    }
}
