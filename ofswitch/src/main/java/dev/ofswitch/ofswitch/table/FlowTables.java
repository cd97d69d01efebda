package dev.ofswitch.ofswitch.table;

import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.Instructions;
import dev.ofswitch.ofswitch.codec.Match;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.flow.FlowKey;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The switch's flow tables 0..254 and the OpenFlow semantics of changing them (OVS {@code ofproto/ofproto.c}:
 * {@code add_flow_start()}, {@code modify_flows_start__()}, {@code delete_flows_start__()}, rule expiry).
 *
 * <h2>Semantics (checked against OVS 3.1)</h2>
 * <ul>
 * <li>ADD replaces a flow with the same match and priority, keeping its counters unless {@code reset_counts};
 * with {@code check_overlap}, a flow of the same priority that can match a common packet refuses it
 * (OFPFMFC_OVERLAP). Table 255 is not a table to add to (OFPBRC_BAD_TABLE_ID); table 254 is OVS's read-only table
 * (OFPBRC_EPERM for ADD and MODIFY, and for a DELETE that selects OVS's own flows there: {@link ReadOnlyTable}).
 * <li>MODIFY (loose: every flow at least as specific as the match; strict: same match and priority) replaces the
 * instructions of the flows whose cookie matches under the mask, keeping counters unless {@code reset_counts}. With
 * no flow to modify, OpenFlow 1.0 adds one; 1.2+ does nothing (seen with OVS 3.1).
 * <li>DELETE (loose/strict, table 255 = every table) removes the selected flows that output to {@code out_port} and
 * use {@code out_group} when those are given, and reports them for FLOW_REMOVED (reason DELETE).
 * <li>Timeouts, from the switch clock and compared strictly: hard when {@code now - install > hard}, idle when
 * {@code now - last use > idle} (last use = install time before the first packet).
 * <li>Hidden flows: a priority above {@value #MAX_VISIBLE_PRIORITY} cannot come from OpenFlow; the switch installs
 * such flows itself (fail-open's NORMAL flow). As OVS's {@code rule_is_hidden()}: packets hit them, but OpenFlow
 * requests neither see them (flow stats, aggregates, active counts) nor modify or delete them.
 * </ul>
 *
 * <h2>Versions and transactions</h2> Lookups read the tables through one published {@link Version}: the classifier of
 * every table, replaced as a whole. A lone FLOW_MOD changes the published classifiers in place, as it always did
 * (each change is seen by lookups as it is made, see {@link Classifier}). A {@link Transaction} (an OpenFlow bundle
 * commit) is what OVS's versioned classifier gives {@code do_bundle_commit()}: its changes go to private copies of the
 * tables it touches ({@link Classifier#copy()}, on first touch), each flow-mod of it sees the ones before it, and
 * {@link Transaction#commit()} publishes them all with one volatile write, so a packet sees the tables either
 * before the transaction or after it, never in between (the pipeline takes one {@link #version()} per packet, as
 * OVS's translation takes one {@code tables_version}). {@link Transaction#abort()} drops the copies and undoes the
 * writer-only bookkeeping, leaving everything exactly as before. Inside a transaction MODIFY replaces the entries it
 * changes ({@link FlowEntry}'s modified copy, sharing the counters) instead of changing them in place, because the
 * published ones are still being read. The cost is copying each touched table once per transaction (O(flows in it)).
 *
 * <h2>Thread-safety</h2> One writer, the control thread, for every mutating method and for transactions;
 * {@link #lookup}, {@link #version()} and the counters may be used by any number of datapath threads at once (see
 * {@link Classifier}). Publication point: {@link #view}, written (volatile) by the control thread only.
 */
public final class FlowTables {
    /** Tables 0..254; 255 (OFPTT_ALL) means "all" in requests. */
    public static final int N_TABLES = 255;
    public static final int TABLE_ALL = 255;
    /** OVS's port number for "any" in out_port filters (16-bit form). */
    public static final int OFPP_ANY = 0xffff;
    public static final long OFPG_ANY = 0xffffffffL;
    /** The highest priority OpenFlow can express; flows above it are hidden. */
    public static final int MAX_VISIBLE_PRIORITY = 0xffff;

    /** Compiles a flow's instructions into what the pipeline runs; also lists the ports and groups they output to. */
    public interface Compiler {
        /** Returns the program; may throw the error OVS would give for an action it cannot install. */
        Object compile(Instructions ins, int tableId, Match match, int version) throws OpenFlowException;

        /** Output ports (OVS 16-bit numbering) the instructions name, for out_port filters. */
        int[] outPorts(Instructions ins);

        /** Groups the instructions name. */
        long[] groups(Instructions ins);
    }

    /**
     * The lookup/match counters of tables 0..254, each made on first use (a lab runs a thousand switches whose flows
     * sit in a few tables). Published with a CAS, so any thread may create one.
     */
    private final AtomicReferenceArray<Counters> counters = new AtomicReferenceArray<>(N_TABLES);

    /** One table's lookup and match counts (OFPMP_TABLE's lookup_count and matched_count). */
    private static final class Counters {
        final LongAdder lookups = new LongAdder();
        final LongAdder matches = new LongAdder();
    }

    private Counters counters(int t) {
        Counters c = counters.get(t);
        if (c == null) {
            Counters made = new Counters();
            c = counters.compareAndExchange(t, null, made);
            if (c == null) {
                c = made;
            }
        }
        return c;
    }

    /**
     * One version of every table, as lookups see it. Immutable once published: a later change either happens in its
     * classifiers (lone flow-mods) or makes a new version (a transaction's commit, a table's first use).
     */
    public static final class Version {
        /** The classifier of each table 0..254; null for a table never written. */
        private final Classifier<FlowEntry>[] tables;

        private Version(Classifier<FlowEntry>[] tables) {
            this.tables = tables;
        }
    }

    /** The publication point: the tables lookups see. Written by the control thread only. */
    private volatile Version view = new Version(newTables());

    @SuppressWarnings("unchecked")
    private static Classifier<FlowEntry>[] newTables() {
        return (Classifier<FlowEntry>[]) new Classifier<?>[N_TABLES];
    }

    /** Flows whose actions are conjunction(...) are clauses; conj_id is a key field like any other. */
    private static final ConjunctionSupport<FlowEntry> CONJUNCTIONS = new ConjunctionSupport<>(
            FlowEntry::conjunctions, FlowKey.W_TUN_DST, FlowKey.CONJ_ID_SHIFT);

    private static Classifier<FlowEntry> newClassifier() {
        // OVS's tie rule: among equal-priority matches the best-ranked subtable wins, which also lets a lookup stop
        // at its first hit (see TieBreak).
        return new Classifier<>(TieBreak.SUBTABLE_ORDER, CONJUNCTIONS, FlowKey.WORDS);
    }

    /** The classifier of table {@code t} as the writer sees it (the open transaction's, if any), or null if unused. */
    private Classifier<FlowEntry> existing(int t) {
        return tx != null ? tx.working[t] : view.tables[t];
    }

    /**
     * The classifier of table {@code t} to change: the open transaction's private copy (made now on first touch), or
     * the published one (a new table is published in a new version, never stored into a published array).
     */
    private Classifier<FlowEntry> writable(int t) {
        if (tx != null) {
            return tx.writable(t);
        }
        Version v = view;
        Classifier<FlowEntry> c = v.tables[t];
        if (c == null) {
            c = newClassifier();
            Classifier<FlowEntry>[] next = v.tables.clone();
            next[t] = c;
            view = new Version(next);
        }
        return c;
    }

    private final Compiler compiler;
    /** Flows with an idle or hard timeout, by install order ({@link FlowEntry#seq}). Control thread only. */
    private final TreeMap<Long, FlowEntry> timed = new TreeMap<>();
    /** Hidden flows per table. Control thread only. */
    private final int[] hidden = new int[N_TABLES];
    private long nextSeq;
    /** The open transaction, or null. Control thread only. */
    private Transaction tx;

    public FlowTables(Compiler compiler) {
        this.compiler = compiler;
    }

    /** The tables as lookups see them now: what one packet should use from start to end. Any thread. */
    public Version version() {
        return view;
    }

    /** Finds the flow of {@code table} that {@code key} hits in the current version, counting the lookup. Any thread. */
    public FlowEntry lookup(int table, long[] key) {
        return lookup(view, table, key);
    }

    /** Finds the flow of {@code table} that {@code key} hits in {@code version}, counting the lookup. Any thread. */
    public FlowEntry lookup(Version version, int table, long[] key) {
        Counters c = counters(table);
        c.lookups.increment();
        Classifier<FlowEntry> cls = version.tables[table];
        Rule<FlowEntry> r = cls == null ? null : cls.lookup(key);
        if (r == null) {
            return null;
        }
        c.matches.increment();
        return r.payload();
    }

    /** Visible flows in {@code table}. */
    public int activeCount(int table) {
        Classifier<FlowEntry> c = existing(table);
        return c == null ? 0 : c.size() - hidden[table];
    }

    public long lookupCount(int table) {
        Counters c = counters.get(table);
        return c == null ? 0 : c.lookups.sum();
    }

    public long matchedCount(int table) {
        Counters c = counters.get(table);
        return c == null ? 0 : c.matches.sum();
    }

    /** Every visible flow, by table then priority (descending) then install order. */
    public List<FlowEntry> all() {
        return collect(false);
    }

    /** Every flow, hidden ones included (OVS {@code bridge/dump-flows}). */
    public List<FlowEntry> allIncludingHidden() {
        return collect(true);
    }

    private List<FlowEntry> collect(boolean withHidden) {
        List<FlowEntry> out = new ArrayList<>();
        for (int t = 0; t < N_TABLES; t++) {
            Classifier<FlowEntry> c = existing(t);
            if (c == null) {
                continue;
            }
            for (Rule<FlowEntry> r : c.rules()) {
                if (withHidden || !isHidden(r.payload())) {
                    out.add(r.payload());
                }
            }
        }
        out.sort(ORDER);
        return out;
    }

    /** Whether OpenFlow cannot see {@code e} (see the class comment). */
    public static boolean isHidden(FlowEntry e) {
        return e.priority > MAX_VISIBLE_PRIORITY;
    }

    static final Comparator<FlowEntry> ORDER = Comparator.<FlowEntry>comparingInt(e -> e.tableId)
            .thenComparingInt(e -> -e.priority).thenComparingLong(e -> e.seq);

    /** The outcome of a flow mod: flows removed (for FLOW_REMOVED with reason DELETE). */
    public record Result(List<FlowEntry> removed) {
    }

    /**
     * Applies a FLOW_MOD. Control thread only.
     *
     * @throws OpenFlowException with the error OVS would answer; nothing is changed then
     */
    public Result apply(FlowMod fm, long nowNanos) throws OpenFlowException {
        checkWritable(fm);
        switch (fm.command()) {
            case FlowMod.OFPFC_ADD:
                add(fm, fm.tableId() == TABLE_ALL && fm.version() == 1 ? 0 : fm.tableId(), nowNanos);
                return new Result(List.of());
            case FlowMod.OFPFC_MODIFY:
            case FlowMod.OFPFC_MODIFY_STRICT:
                modify(fm, fm.command() == FlowMod.OFPFC_MODIFY_STRICT, nowNanos);
                return new Result(List.of());
            case FlowMod.OFPFC_DELETE:
            case FlowMod.OFPFC_DELETE_STRICT:
                return new Result(delete(fm, fm.command() == FlowMod.OFPFC_DELETE_STRICT));
            default:
                throw new OpenFlowException(ErrorCode.OFPFMFC_BAD_COMMAND, "flow mod command " + fm.command());
        }
    }

    /**
     * OVS {@code add_flow_init()}, which a modify runs too (the add it may turn into), whatever it selects: an ADD,
     * MODIFY or MODIFY_STRICT of table 254 is OFPBRC_EPERM (see {@link ReadOnlyTable}). OVS checks this before the
     * buffer id and the groups and meters the flow names, and for a bundle when the message is added.
     */
    public static void checkWritable(FlowMod fm) throws OpenFlowException {
        if (fm.tableId() == ReadOnlyTable.TABLE_ID && fm.command() != FlowMod.OFPFC_DELETE
                && fm.command() != FlowMod.OFPFC_DELETE_STRICT) {
            throw new OpenFlowException(ErrorCode.OFPBRC_EPERM, "table " + fm.tableId() + " is read-only");
        }
    }

    private void add(FlowMod fm, int table, long now) throws OpenFlowException {
        if (table < 0 || table >= N_TABLES) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_TABLE_ID, "cannot add to table " + table);
        }
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        fm.match().toKey(v, m);
        Object program = compiler.compile(fm.instructions(), table, fm.match(), fm.version());
        Classifier<FlowEntry> before = existing(table);
        if (fm.checkOverlap() && before != null && before.overlaps(v, m, fm.priority())) {
            if (before.findExactly(v, m, fm.priority()) == null) {
                throw new OpenFlowException(ErrorCode.OFPFMFC_OVERLAP, "overlapping flow of priority "
                        + fm.priority());
            }
        }
        Classifier<FlowEntry> cls = writable(table);
        // One mask array per subtable, and the entry's match array is its classifier rule's (insertOwned): a flow
        // keeps one copy of its key (34 words) instead of three.
        m = cls.internMask(m);
        FlowEntry e = new FlowEntry(table, fm.priority(), fm.match(), v, m, nextSeq++, now, fm.cookie(),
                fm.idleTimeout(), fm.hardTimeout(), fm.rawFlags(), fm.importance(), fm.instructions(), program,
                compiler.outPorts(fm.instructions()), compiler.groups(fm.instructions()));
        Rule<FlowEntry> old = cls.findExactly(v, m, fm.priority());
        if (old != null) {
            FlowEntry o = old.payload();
            if ((fm.rawFlags() & FlowMod.OFPFF12_RESET_COUNTS) == 0 || fm.version() == 1) {
                e.inheritCounters(o);
            }
            cls.remove(old);
            forget(o);
        }
        cls.insertOwned(v, m, fm.priority(), e);
        if (isHidden(e)) {
            countHidden(table, 1);
        }
        if (e.idleTimeout() != 0 || e.hardTimeout() != 0) {
            setTimed(e.seq, e);
        }
    }

    private void modify(FlowMod fm, boolean strict, long now) throws OpenFlowException {
        List<FlowEntry> selected = select(fm.tableId(), fm.match(), strict, fm.priority(), fm.cookie(),
                fm.cookieMask(), OFPP_ANY, OFPG_ANY);
        if (selected.isEmpty()) {
            if (fm.version() == 1 && fm.cookieMask() == 0) {
                add(fm, fm.tableId() == TABLE_ALL ? 0 : fm.tableId(), now);
            }
            return;
        }
        // Compile once per table before changing anything, so an error leaves every flow as it was.
        List<Object> programs = new ArrayList<>();
        for (FlowEntry e : selected) {
            programs.add(compiler.compile(fm.instructions(), e.tableId, e.match, fm.version()));
        }
        boolean reset = (fm.rawFlags() & FlowMod.OFPFF12_RESET_COUNTS) != 0 && fm.version() > 1;
        // OpenFlow 1.0 MODIFY sets the cookie; 1.1+ uses cookie/cookie_mask as a filter only (OVS new_cookie).
        Long newCookie = fm.version() == 1 && fm.cookieMask() == 0 ? fm.cookie() : null;
        for (int i = 0; i < selected.size(); i++) {
            FlowEntry e = selected.get(i);
            // A flow that becomes or stops being a clause is replaced, not changed in place, so that its table's
            // count of clauses (which picks the lookup path) stays right.
            boolean clauseChange = (e.conjunctions() == null) != (fm.instructions().conjunctions() == null);
            if (tx == null && !clauseChange) {
                e.modify(fm.instructions(), programs.get(i), compiler.outPorts(fm.instructions()),
                        compiler.groups(fm.instructions()), newCookie, reset);
                continue;
            }
            // In a transaction the published entry is still being read: replace it in the private copy instead.
            FlowEntry n = e.modifiedCopy(fm.instructions(), programs.get(i), compiler.outPorts(fm.instructions()),
                    compiler.groups(fm.instructions()), newCookie, reset);
            Classifier<FlowEntry> cls = writable(e.tableId);
            cls.replacePayload(cls.findExactly(e.matchValues, e.matchMasks, e.priority), n);
            if (timed.get(e.seq) == e) {
                setTimed(e.seq, n);
            }
        }
    }

    private List<FlowEntry> delete(FlowMod fm, boolean strict) throws OpenFlowException {
        List<FlowEntry> selected = select(fm.tableId(), fm.match(), strict, fm.priority(), fm.cookie(),
                fm.cookieMask(), fm.outPort(), fm.outGroup());
        if (selected.isEmpty() && fm.tableId() == ReadOnlyTable.TABLE_ID && ReadOnlyTable.selects(fm.match(), strict,
                fm.priority(), fm.cookie(), fm.cookieMask(), fm.outPort(), fm.outGroup())) {
            throw new OpenFlowException(ErrorCode.OFPBRC_EPERM, "delete selects OVS's read-only flows of table "
                    + ReadOnlyTable.TABLE_ID);
        }
        for (FlowEntry e : selected) {
            remove(e);
        }
        return selected;
    }

    /** Removes one flow (in the open transaction, if any). Control thread only. */
    public void remove(FlowEntry e) {
        Classifier<FlowEntry> cls = existing(e.tableId);
        Rule<FlowEntry> r = cls == null ? null : cls.findExactly(e.matchValues, e.matchMasks, e.priority);
        if (r != null && r.payload() == e) {
            writable(e.tableId).remove(writable(e.tableId).findExactly(e.matchValues, e.matchMasks, e.priority));
            forget(e);
        } else if (!e.removed) {
            e.removed = true;
            undoable(() -> e.removed = false);
            if (timed.get(e.seq) == e) {
                setTimed(e.seq, null);
            }
        }
    }

    /** Bookkeeping for a flow just taken out of its classifier: removed, untimed, uncounted. */
    private void forget(FlowEntry e) {
        e.removed = true;
        undoable(() -> e.removed = false);
        if (timed.get(e.seq) == e) {
            setTimed(e.seq, null);
        }
        if (isHidden(e)) {
            countHidden(e.tableId, -1);
        }
    }

    /** Sets (null: removes) the timed flow of install order {@code seq}, undoably. */
    private void setTimed(long seq, FlowEntry e) {
        FlowEntry before = e == null ? timed.remove(seq) : timed.put(seq, e);
        undoable(() -> {
            if (before == null) {
                timed.remove(seq);
            } else {
                timed.put(seq, before);
            }
        });
    }

    private void countHidden(int table, int delta) {
        hidden[table] += delta;
        undoable(() -> hidden[table] -= delta);
    }

    /** Records how to undo a change of writer-only state, if a transaction is open. */
    private void undoable(Runnable undo) {
        if (tx != null) {
            tx.undo.push(undo);
        }
    }

    /**
     * The flows a request selects (flow stats, aggregate, modify, delete): in {@code table} (255: all), loose (at
     * least as specific as {@code match}) or strict (same match and priority), cookie under mask, and outputting to
     * {@code outPort} / using {@code outGroup} unless those are ANY. Ordered by table, priority, install order.
     */
    public List<FlowEntry> select(int table, Match match, boolean strict, int priority, long cookie, long cookieMask,
                                  int outPort, long outGroup) {
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        match.toKey(v, m);
        List<FlowEntry> out = new ArrayList<>();
        int from = table == TABLE_ALL ? 0 : table;
        int to = table == TABLE_ALL ? N_TABLES - 1 : Math.min(table, N_TABLES - 1);
        for (int t = from; t <= to; t++) {
            Classifier<FlowEntry> cls = existing(t);
            if (cls == null) {
                continue;
            }
            if (strict) {
                Rule<FlowEntry> r = cls.findExactly(v, m, priority);
                if (r != null) {
                    addIf(out, r.payload(), cookie, cookieMask, outPort, outGroup);
                }
            } else {
                for (Rule<FlowEntry> r : cls.findLoose(v, m)) {
                    addIf(out, r.payload(), cookie, cookieMask, outPort, outGroup);
                }
            }
        }
        out.sort(ORDER);
        return out;
    }

    private static void addIf(List<FlowEntry> out, FlowEntry e, long cookie, long cookieMask, int outPort,
                              long outGroup) {
        if (isHidden(e)) {
            return;
        }
        if (((e.cookie() ^ cookie) & cookieMask) != 0) {
            return;
        }
        if (outPort != OFPP_ANY && !e.outputsTo(outPort)) {
            return;
        }
        if (outGroup != OFPG_ANY && !e.usesGroup(outGroup)) {
            return;
        }
        out.add(e);
    }

    /** An expired flow and why: {@code OFPRR_IDLE_TIMEOUT} (0) or {@code OFPRR_HARD_TIMEOUT} (1). */
    public record Expired(FlowEntry entry, int reason) {
    }

    /** Removes every flow whose idle or hard timeout has passed at {@code nowNanos}, in install order. */
    public List<Expired> expire(long nowNanos) {
        noTransaction();
        List<Expired> out = new ArrayList<>();
        for (FlowEntry e : timed.values()) {
            if (e.hardTimeout() != 0 && nowNanos - e.installNanos > e.hardTimeout() * 1_000_000_000L) {
                out.add(new Expired(e, 1));
            } else if (e.idleTimeout() != 0
                    && nowNanos - e.lastUsedNanos() > e.idleTimeout() * 1_000_000_000L) {
                out.add(new Expired(e, 0));
            }
        }
        for (Expired x : out) {
            remove(x.entry());
        }
        return out;
    }

    /** Removes every flow, hidden ones included (switch reset, OVS {@code ofproto_flush__()}). */
    public List<FlowEntry> clear() {
        noTransaction();
        List<FlowEntry> all = allIncludingHidden();
        for (FlowEntry e : all) {
            remove(e);
        }
        return all;
    }

    private void noTransaction() {
        if (tx != null) {
            throw new IllegalStateException("a flow-table transaction is open");
        }
    }

    // ------------------------------------------------------------------------------------------ transactions

    /**
     * Opens a transaction: until it is committed or aborted, {@link #apply}, {@link #select} and {@link #remove} work
     * on private copies of the tables that lookups do not see (see the class comment). One at a time. Control thread.
     */
    public Transaction begin() {
        if (tx != null) {
            throw new IllegalStateException("a flow-table transaction is already open");
        }
        tx = new Transaction(view.tables.clone());
        return tx;
    }

    /**
     * A batch of flow-table changes that lookups see all at once or not at all (OVS's bundle commit with the
     * versioned classifier). Made by {@link #begin()}; ends with {@link #commit()} or {@link #abort()}. Control thread.
     */
    public final class Transaction {
        /** The tables as the transaction sees them: the published classifiers, or its private copies. */
        private final Classifier<FlowEntry>[] working;
        /** Which tables of {@link #working} are private copies. */
        private final boolean[] copied = new boolean[N_TABLES];
        /** How to restore the writer-only state (timed flows, hidden counts, removed flags), newest first. */
        private final ArrayDeque<Runnable> undo = new ArrayDeque<>();

        private Transaction(Classifier<FlowEntry>[] working) {
            this.working = working;
        }

        private Classifier<FlowEntry> writable(int t) {
            if (!copied[t]) {
                working[t] = working[t] == null ? newClassifier() : working[t].copy();
                copied[t] = true;
            }
            return working[t];
        }

        /** How many tables this transaction copied so far (for tests and logs). */
        public int tablesCopied() {
            int n = 0;
            for (boolean c : copied) {
                n += c ? 1 : 0;
            }
            return n;
        }

        /** Publishes every change at once (one volatile write) and ends the transaction. */
        public void commit() {
            end();
            view = new Version(working);
        }

        /** Drops every change: lookups never saw any, and the writer-only state is restored. Ends the transaction. */
        public void abort() {
            end();
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
        }

        private void end() {
            if (tx != this) {
                throw new IllegalStateException("transaction already ended");
            }
            tx = null;
        }
    }
}
