package dev.ofswitch.ofswitch.table;

import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.Instructions;
import dev.ofswitch.ofswitch.codec.Match;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.flow.FlowKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 * (OFPFMFC_OVERLAP). Table 255 is not a table to add to (OFPBRC_BAD_TABLE_ID).
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
 * <h2>Thread-safety</h2> One writer, the control thread, for every mutating method; {@link #lookup} and the counters
 * may be used by any number of datapath threads at once (see {@link Classifier}).
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
     * Tables 0..254, each made on first use (a lab runs a thousand switches whose flows sit in a few tables): its
     * classifier and its lookup/match counters. Published with a CAS, so any thread may create one.
     */
    private final AtomicReferenceArray<Table> tables = new AtomicReferenceArray<>(N_TABLES);

    /** One table: the classifier (one writer, the control thread) and its counters. */
    private static final class Table {
        // OVS's tie rule: among equal-priority matches the best-ranked subtable wins, which also lets a lookup stop
        // at its first hit (see TieBreak).
        final Classifier<FlowEntry> cls = new Classifier<>(TieBreak.SUBTABLE_ORDER, FlowKey.WORDS);
        final LongAdder lookups = new LongAdder();
        final LongAdder matches = new LongAdder();
    }

    private Table table(int t) {
        Table tb = tables.get(t);
        if (tb == null) {
            Table made = new Table();
            tb = tables.compareAndExchange(t, null, made);
            if (tb == null) {
                tb = made;
            }
        }
        return tb;
    }

    /** The classifier of table {@code t}, or an empty one's answers (null) if the table was never used. */
    private Classifier<FlowEntry> existing(int t) {
        Table tb = tables.get(t);
        return tb == null ? null : tb.cls;
    }

    private final Compiler compiler;
    /** Flows with an idle or hard timeout, in install order. Control thread only. */
    private final Set<FlowEntry> timed = new LinkedHashSet<>();
    /** Hidden flows per table. Control thread only. */
    private final int[] hidden = new int[N_TABLES];
    private long nextSeq;

    public FlowTables(Compiler compiler) {
        this.compiler = compiler;
    }

    /** Finds the flow of {@code table} that {@code key} hits, counting the lookup. Any thread. */
    public FlowEntry lookup(int table, long[] key) {
        Table tb = table(table);
        tb.lookups.increment();
        Rule<FlowEntry> r = tb.cls.lookup(key);
        if (r == null) {
            return null;
        }
        tb.matches.increment();
        return r.payload();
    }

    /** Visible flows in {@code table}. */
    public int activeCount(int table) {
        Classifier<FlowEntry> c = existing(table);
        return c == null ? 0 : c.size() - hidden[table];
    }

    public long lookupCount(int table) {
        Table tb = tables.get(table);
        return tb == null ? 0 : tb.lookups.sum();
    }

    public long matchedCount(int table) {
        Table tb = tables.get(table);
        return tb == null ? 0 : tb.matches.sum();
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
            .thenComparing(e -> -e.priority).thenComparingLong(e -> e.seq);

    /** The outcome of a flow mod: flows removed (for FLOW_REMOVED with reason DELETE). */
    public record Result(List<FlowEntry> removed) {
    }

    /**
     * Applies a FLOW_MOD. Control thread only.
     *
     * @throws OpenFlowException with the error OVS would answer; nothing is changed then
     */
    public Result apply(FlowMod fm, long nowNanos) throws OpenFlowException {
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

    private void add(FlowMod fm, int table, long now) throws OpenFlowException {
        if (table < 0 || table >= N_TABLES) {
            throw new OpenFlowException(ErrorCode.OFPBRC_BAD_TABLE_ID, "cannot add to table " + table);
        }
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        fm.match().toKey(v, m);
        Object program = compiler.compile(fm.instructions(), table, fm.match(), fm.version());
        Classifier<FlowEntry> cls = table(table).cls;
        if (fm.checkOverlap() && cls.overlaps(v, m, fm.priority())) {
            Rule<FlowEntry> same = cls.findExactly(v, m, fm.priority());
            if (same == null) {
                throw new OpenFlowException(ErrorCode.OFPFMFC_OVERLAP, "overlapping flow of priority "
                        + fm.priority());
            }
        }
        FlowEntry e = new FlowEntry(table, fm.priority(), fm.match(), v, m, nextSeq++, now, fm.cookie(),
                fm.idleTimeout(), fm.hardTimeout(), fm.rawFlags(), fm.importance(), fm.instructions(), program,
                compiler.outPorts(fm.instructions()), compiler.groups(fm.instructions()));
        Rule<FlowEntry> old = cls.findExactly(v, m, fm.priority());
        if (old != null) {
            FlowEntry o = old.payload();
            if ((fm.rawFlags() & FlowMod.OFPFF12_RESET_COUNTS) == 0 || fm.version() == 1) {
                e.inheritCounters(o);
            }
            o.removed = true;
            timed.remove(o);
            cls.remove(old);
            if (isHidden(o)) {
                hidden[table]--;
            }
        }
        cls.insert(v, m, fm.priority(), e);
        if (isHidden(e)) {
            hidden[table]++;
        }
        if (e.idleTimeout() != 0 || e.hardTimeout() != 0) {
            timed.add(e);
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
            e.modify(fm.instructions(), programs.get(i), compiler.outPorts(fm.instructions()),
                    compiler.groups(fm.instructions()), newCookie, reset);
        }
    }

    private List<FlowEntry> delete(FlowMod fm, boolean strict) {
        List<FlowEntry> selected = select(fm.tableId(), fm.match(), strict, fm.priority(), fm.cookie(),
                fm.cookieMask(), fm.outPort(), fm.outGroup());
        for (FlowEntry e : selected) {
            remove(e);
        }
        return selected;
    }

    /** Removes one flow. Control thread only. */
    public void remove(FlowEntry e) {
        Classifier<FlowEntry> cls = existing(e.tableId);
        Rule<FlowEntry> r = cls == null ? null : cls.findExactly(e.matchValues, e.matchMasks, e.priority);
        if (r != null && r.payload() == e) {
            cls.remove(r);
            if (isHidden(e)) {
                hidden[e.tableId]--;
            }
        }
        e.removed = true;
        timed.remove(e);
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
        List<Expired> out = new ArrayList<>();
        for (FlowEntry e : timed) {
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
        List<FlowEntry> all = allIncludingHidden();
        for (FlowEntry e : all) {
            remove(e);
        }
        return all;
    }
}
