package dev.ofswitch.ofswitch.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.FlowLoader;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.pipeline.ProgramCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FlowTables.Transaction}, what an OpenFlow bundle commit runs on: the flow-mods of a transaction go through
 * the same {@link FlowTables#apply} as lone ones, lookups see none of them until {@link FlowTables.Transaction#commit()}
 * and all of them after, and {@link FlowTables.Transaction#abort()} (a failure in the middle) leaves the tables,
 * the entries and the expiry bookkeeping exactly as they were.
 */
class FlowTablesTransactionTest {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;

    FlowTables tables;
    FlowEntry a;
    FlowEntry c;
    FlowEntry t;

    static FlowMod fm(String flow, int command) {
        try {
            return FlowLoader.parse(flow, command, Map.of()).flowMods().get(0).flowMod();
        } catch (FlowLoader.FlowLoadException e) {
            throw new AssertionError(e);
        }
    }

    static long[] ipKey(int proto, int srcHost) {
        long[] key = FlowKey.newKey();
        FlowKey.set(key, MatchField.ETH_TYPE, 0x0800);
        FlowKey.set(key, MatchField.IP_PROTO, proto);
        FlowKey.set(key, MatchField.IPV4_SRC, 0x0a000000L | srcHost);
        return key;
    }

    FlowEntry find(int priority) {
        for (FlowEntry e : tables.all()) {
            if (e.priority() == priority) {
                return e;
            }
        }
        return null;
    }

    @BeforeEach
    void setUp() throws OpenFlowException {
        tables = new FlowTables(new ProgramCompiler());
        tables.apply(fm("priority=10,ip,actions=output:1", FlowMod.OFPFC_ADD), 0);
        tables.apply(fm("priority=30,udp,actions=output:3", FlowMod.OFPFC_ADD), 0);
        tables.apply(fm("priority=40,icmp,hard_timeout=5,actions=drop", FlowMod.OFPFC_ADD), 0);
        a = find(10);
        c = find(30);
        t = find(40);
    }

    /** The bundle of {@link #commit_publishesEveryChangeAtOnce} and {@link #abort_afterAFailureInTheMiddle}. */
    void applyBundle() throws OpenFlowException {
        tables.apply(fm("priority=20,tcp,actions=output:2", FlowMod.OFPFC_ADD), 1);
        tables.apply(fm("priority=10,ip,actions=output:4", FlowMod.OFPFC_MODIFY_STRICT), 1);
        assertEquals(List.of(c), tables.apply(fm("udp", FlowMod.OFPFC_DELETE), 1).removed());
        assertEquals(List.of(t), tables.apply(fm("priority=40,icmp", FlowMod.OFPFC_DELETE_STRICT), 1).removed());
    }

    @Test
    void commit_publishesEveryChangeAtOnce() throws OpenFlowException {
        FlowTables.Version before = tables.version();
        Object aInstructions = a.instructions();
        FlowTables.Transaction tx = tables.begin();
        applyBundle();

        // Lookups (the datapath's view) see nothing of the transaction yet; the writer sees all of it.
        assertSame(before, tables.version());
        assertSame(a, tables.lookup(0, ipKey(TCP, 1)), "B is not visible");
        assertSame(aInstructions, a.instructions(), "the published A is unmodified");
        assertSame(c, tables.lookup(0, ipKey(UDP, 1)));
        assertSame(t, tables.lookup(0, ipKey(ICMP, 1)));
        assertEquals(List.of(20, 10), tables.all().stream().map(FlowEntry::priority).toList());
        assertEquals(1, tx.tablesCopied());

        tx.commit();
        FlowTables.Version after = tables.version();
        assertNotSame(before, after);
        FlowEntry b = find(20);
        FlowEntry a2 = find(10);
        assertSame(b, tables.lookup(after, 0, ipKey(TCP, 1)));
        assertSame(a2, tables.lookup(after, 0, ipKey(UDP, 1)), "C is gone: A (modified) matches UDP now");
        assertNotSame(a, a2, "the modify replaced the entry");
        assertEquals(fm("priority=10,ip,actions=output:4", FlowMod.OFPFC_ADD).instructions(), a2.instructions());
        assertSame(aInstructions, a.instructions(), "the old entry is untouched");
        assertSame(a2, tables.lookup(after, 0, ipKey(ICMP, 1)));
        // A packet that took the old version before the commit still finishes in it.
        assertSame(c, tables.lookup(before, 0, ipKey(UDP, 1)));
        assertTrue(c.isRemoved());
        assertTrue(t.isRemoved());
        assertEquals(List.of(), tables.expire(6_000_000_000L), "the deleted timed flow is no longer timed");
    }

    @Test
    void abort_afterAFailureInTheMiddle() throws OpenFlowException {
        FlowTables.Version before = tables.version();
        List<FlowEntry> flows = tables.all();
        Object aInstructions = a.instructions();
        long aCookie = a.cookie();
        FlowTables.Transaction tx = tables.begin();
        applyBundle();
        OpenFlowException e = assertThrows(OpenFlowException.class, () -> tables.apply(
                fm("priority=20,ip,nw_src=10.0.0.1,check_overlap,actions=drop", FlowMod.OFPFC_ADD), 1),
                "overlaps B, added earlier in the transaction");
        assertSame(ErrorCode.OFPFMFC_OVERLAP, e.code());
        tx.abort();

        assertSame(before, tables.version(), "nothing was ever published");
        assertEquals(flows, tables.all(), "the same entries, the same objects");
        assertSame(aInstructions, a.instructions());
        assertEquals(aCookie, a.cookie());
        assertFalse(c.isRemoved());
        assertFalse(t.isRemoved());
        assertEquals(3, tables.activeCount(0));
        assertSame(a, tables.lookup(0, ipKey(TCP, 1)));
        List<FlowTables.Expired> expired = tables.expire(6_000_000_000L);
        assertEquals(1, expired.size(), "the timed flow deleted and restored still expires");
        assertSame(t, expired.get(0).entry());
        // And the tables go on working: a lone flow-mod and another transaction.
        tables.apply(fm("priority=20,tcp,actions=output:2", FlowMod.OFPFC_ADD), 2);
        FlowTables.Transaction again = tables.begin();
        tables.apply(fm("priority=50,tcp,actions=drop", FlowMod.OFPFC_ADD), 2);
        again.commit();
        assertEquals(List.of(50, 30, 20, 10), tables.all().stream().map(FlowEntry::priority).toList());
    }

    @Test
    void modifyInATransaction_sharesTheCountersOfThePublishedEntry() throws OpenFlowException {
        a.hit(100, 1);
        FlowTables.Transaction tx = tables.begin();
        tables.apply(fm("priority=10,ip,actions=output:4", FlowMod.OFPFC_MODIFY_STRICT), 1);
        a.hit(50, 2);   // a datapath thread, still on the published version
        tx.commit();
        FlowEntry a2 = find(10);
        assertNotSame(a, a2);
        assertEquals(2, a2.packets());
        assertEquals(150, a2.bytes());
        assertEquals(a.installNanos(), a2.installNanos());
        assertEquals(a.seq(), a2.seq());

        FlowTables.Transaction reset = tables.begin();
        tables.apply(fm("priority=10,ip,reset_counts,actions=output:5", FlowMod.OFPFC_MODIFY_STRICT), 3);
        reset.commit();
        assertEquals(0, find(10).packets());
        assertEquals(2, a2.packets(), "resetting made new counters; the old entry keeps its own");
    }

    @Test
    void oneTransactionAtATime_andNoExpiryDuringOne() {
        FlowTables.Transaction tx = tables.begin();
        assertThrows(IllegalStateException.class, tables::begin);
        assertThrows(IllegalStateException.class, () -> tables.expire(0));
        tx.abort();
        assertThrows(IllegalStateException.class, tx::commit);
    }

    /**
     * A reader thread looks up the flows of each transaction in the version it takes per "packet" while the writer
     * commits transactions that add, then delete, {@value #N} flows: it must find none of them or all of them, never
     * some.
     */
    @Test
    void concurrentLookups_seeNoneOrAllOfATransaction() throws Exception {
        final int rounds = 200;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        long[][] keys = new long[N][];
        for (int i = 0; i < N; i++) {
            keys[i] = ipKey(TCP, 100 + i);
        }
        int[] seenPartial = {0};
        Thread reader = new Thread(() -> {
            long lookups = 0;
            while (!done.get() || lookups == 0) {
                FlowTables.Version v = tables.version();
                int found = 0;
                for (long[] k : keys) {
                    FlowEntry e = tables.lookup(v, 0, k);
                    if (e != null && e.priority() == 100) {
                        found++;
                    }
                }
                lookups++;
                if (found != 0 && found != N) {
                    seenPartial[0]++;
                    failure.compareAndSet(null, "a packet saw " + found + " of " + N + " flows");
                }
            }
        });
        reader.start();
        for (int r = 0; r < rounds; r++) {
            FlowTables.Transaction tx = tables.begin();
            for (int i = 0; i < N; i++) {
                String flow = "priority=100,tcp,nw_src=10.0.0." + (100 + i);
                tables.apply(r % 2 == 0 ? fm(flow + ",actions=output:2", FlowMod.OFPFC_ADD)
                        : fm(flow, FlowMod.OFPFC_DELETE_STRICT), r);
            }
            tx.commit();
        }
        done.set(true);
        reader.join(60_000);
        assertFalse(reader.isAlive());
        assertNull(failure.get(), failure.get());
        assertEquals(0, seenPartial[0]);
    }

    static final int N = 16;

    /** {@link Classifier#copy()}: the same answers as the original, ties included, and independent of it after. */
    @Test
    void classifierCopy_answersAsTheOriginal_andIsIndependent() {
        Random rnd = new Random(42);
        Classifier<Integer> cls = new Classifier<>(TieBreak.SUBTABLE_ORDER, 2);
        List<long[][]> rules = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long[] mask = {rnd.nextBoolean() ? 0xffL : 0xf0L, rnd.nextInt(4) == 0 ? 0 : 0xffL};
            long[] match = {rnd.nextInt(256) & mask[0], rnd.nextInt(256) & mask[1]};
            int priority = rnd.nextInt(8);
            if (cls.findExactly(match, mask, priority) == null) {
                cls.insert(match, mask, priority, i);
                rules.add(new long[][] {match, mask});
            }
        }
        Classifier<Integer> copy = cls.copy();
        assertEquals(cls.size(), copy.size());
        assertEquals(cls.subtableCount(), copy.subtableCount());
        for (int i = 0; i < 5000; i++) {
            long[] key = {rnd.nextInt(256), rnd.nextInt(256)};
            Rule<Integer> x = cls.lookup(key);
            Rule<Integer> y = copy.lookup(key);
            assertSame(x, y, "key " + key[0] + "," + key[1]);
        }
        for (long[][] r : rules) {
            for (Rule<Integer> found : copy.findLoose(r[0], r[1])) {
                copy.remove(found);
            }
        }
        assertEquals(0, copy.size());
        assertTrue(cls.size() > 0, "the original keeps its rules");
        assertSame(cls.lookup(new long[] {1, 2}), cls.lookup(new long[] {1, 2}));
    }
}
