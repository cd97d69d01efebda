package dev.ofswitch.ofswitch.table;

import dev.ofswitch.ofswitch.codec.Instructions;
import dev.ofswitch.ofswitch.codec.Match;
import java.util.concurrent.atomic.LongAdder;

/**
 * One installed flow (OVS's {@code struct rule}).
 *
 * <h2>Thread-safety</h2> The match, priority, table, install order and install time are immutable. The instructions,
 * their compiled program, cookie, timeouts, flags and importance are replaced only by the control thread (MODIFY)
 * and read by datapath threads through volatile fields. The counters are {@link LongAdder}s: every datapath thread
 * that matches a busy flow adds to them, and one shared atomic word would bounce its cache line between the threads
 * on every packet (OVS keeps per-thread datapath flow stats for the same reason). {@link #lastUsedNanos} is a
 * volatile the datapath writes at most once per {@link #USED_RESOLUTION_NANOS} of switch time, for the same reason.
 * {@link #removed} is written by the control thread.
 */
public final class FlowEntry {
    /**
     * How stale {@link #lastUsedNanos} may be: 1 ms, OVS's resolution for a flow's {@code used} time. An idle timeout
     * may therefore fire up to 1 ms early.
     */
    static final long USED_RESOLUTION_NANOS = 1_000_000L;

    // Immutable.
    final int tableId;
    final int priority;
    final Match match;
    final long[] matchValues;
    final long[] matchMasks;
    /** Install order: FLOW_REMOVED messages of one expiry pass go out in this order, as in OVS. */
    final long seq;
    final long installNanos;

    // Replaced by the control thread (MODIFY), read anywhere.
    private volatile Instructions instructions;
    private volatile Object program;
    /** The conjunction clauses the actions stand for ({@link Instructions#conjunctions()}), or null. */
    private volatile long[] conjunctions;
    private volatile long cookie;
    private volatile int idleTimeout;
    private volatile int hardTimeout;
    private volatile int flags;
    private volatile int importance;
    /** Output ports and groups the actions name, for the out_port / out_group filters. */
    private volatile int[] outPorts;
    private volatile long[] outGroups;

    // Datapath-written. Shared with the entry's modified copies (see modifiedCopy).
    private final LongAdder packets;
    private final LongAdder bytes;
    private volatile long lastUsedNanos;
    volatile boolean removed;

    FlowEntry(int tableId, int priority, Match match, long[] values, long[] masks, long seq, long installNanos,
              long cookie, int idleTimeout, int hardTimeout, int flags, int importance, Instructions instructions,
              Object program, int[] outPorts, long[] outGroups) {
        this.tableId = tableId;
        this.priority = priority;
        this.match = match;
        this.matchValues = values;
        this.matchMasks = masks;
        this.seq = seq;
        this.installNanos = installNanos;
        this.lastUsedNanos = installNanos;
        this.cookie = cookie;
        this.idleTimeout = idleTimeout;
        this.hardTimeout = hardTimeout;
        this.flags = flags;
        this.importance = importance;
        this.instructions = instructions;
        this.program = program;
        this.conjunctions = instructions == null ? null : instructions.conjunctions();
        this.outPorts = outPorts;
        this.outGroups = outGroups;
        this.packets = new LongAdder();
        this.bytes = new LongAdder();
    }

    /** A modified copy of {@code o} (see {@link #modifiedCopy}). */
    private FlowEntry(FlowEntry o, Instructions ins, Object prog, int[] ports, long[] groups, Long newCookie,
                      boolean resetCounts) {
        this.tableId = o.tableId;
        this.priority = o.priority;
        this.match = o.match;
        this.matchValues = o.matchValues;
        this.matchMasks = o.matchMasks;
        this.seq = o.seq;
        this.installNanos = o.installNanos;
        this.lastUsedNanos = o.lastUsedNanos;
        this.cookie = newCookie != null ? newCookie : o.cookie;
        this.idleTimeout = o.idleTimeout;
        this.hardTimeout = o.hardTimeout;
        this.flags = o.flags;
        this.importance = o.importance;
        this.instructions = ins;
        this.program = prog;
        this.conjunctions = ins.conjunctions();
        this.outPorts = ports;
        this.outGroups = groups;
        this.packets = resetCounts ? new LongAdder() : o.packets;
        this.bytes = resetCounts ? new LongAdder() : o.bytes;
    }

    public int tableId() {
        return tableId;
    }

    public int priority() {
        return priority;
    }

    public Match match() {
        return match;
    }

    public long installNanos() {
        return installNanos;
    }

    public long seq() {
        return seq;
    }

    public Instructions instructions() {
        return instructions;
    }

    /**
     * The clauses of conjunctive matches this flow stands for, packed as {@link ConjunctionSupport#pack}, or null for
     * an ordinary flow. A clause is never the result of a lookup. Any thread.
     */
    public long[] conjunctions() {
        return conjunctions;
    }

    /** The compiled action program the pipeline runs (opaque to the table). */
    public Object program() {
        return program;
    }

    public long cookie() {
        return cookie;
    }

    public int idleTimeout() {
        return idleTimeout;
    }

    public int hardTimeout() {
        return hardTimeout;
    }

    /** OFPFF_* flags as installed. */
    public int flags() {
        return flags;
    }

    public int importance() {
        return importance;
    }

    public long packets() {
        return packets.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    public long lastUsedNanos() {
        return lastUsedNanos;
    }

    public boolean isRemoved() {
        return removed;
    }

    /** Counts one packet of {@code len} bytes that matched this flow at {@code nowNanos}. Any thread. */
    public void hit(int len, long nowNanos) {
        packets.increment();
        bytes.add(len);
        if (nowNanos - lastUsedNanos >= USED_RESOLUTION_NANOS) {
            lastUsedNanos = nowNanos;
        }
    }

    /** Whether the actions output to {@code port} (OFPP_* numbers in 32-bit form). */
    boolean outputsTo(int port) {
        for (int p : outPorts) {
            if (p == port) {
                return true;
            }
        }
        return false;
    }

    /** Whether the actions use group {@code group}. */
    boolean usesGroup(long group) {
        for (long g : outGroups) {
            if (g == group) {
                return true;
            }
        }
        return false;
    }

    /** MODIFY: new instructions (and optionally cookie); counters kept unless {@code resetCounts}. */
    void modify(Instructions ins, Object prog, int[] ports, long[] groups, Long newCookie, boolean resetCounts) {
        this.instructions = ins;
        this.program = prog;
        this.conjunctions = ins.conjunctions();
        this.outPorts = ports;
        this.outGroups = groups;
        if (newCookie != null) {
            this.cookie = newCookie;
        }
        if (resetCounts) {
            packets.reset();
            bytes.reset();
        }
    }

    /**
     * What {@link #modify} would make of this flow, as a new entry, leaving this one untouched: for a transaction,
     * whose changes must stay unseen until it commits while datapath threads go on running this entry. Unless
     * {@code resetCounts}, the copy shares this entry's counters, so that packets that still hit this one until the
     * commit is published count for the flow.
     */
    FlowEntry modifiedCopy(Instructions ins, Object prog, int[] ports, long[] groups, Long newCookie,
                           boolean resetCounts) {
        return new FlowEntry(this, ins, prog, ports, groups, newCookie, resetCounts);
    }

    /** Takes over the counters of the flow this one replaces (an ADD of an identical flow keeps them, as OVS). */
    void inheritCounters(FlowEntry old) {
        packets.add(old.packets());
        bytes.add(old.bytes());
    }

    @Override
    public String toString() {
        return "FlowEntry{table=" + tableId + ", priority=" + priority + ", match=" + match + ", cookie=0x"
                + Long.toHexString(cookie) + "}";
    }
}
