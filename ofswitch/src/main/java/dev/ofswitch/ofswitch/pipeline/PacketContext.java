package dev.ofswitch.ofswitch.pipeline;

import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.ofswitch.flow.FlowKey;

/**
 * One packet in the pipeline: its frame (which actions rewrite in place), its flow key (the translation's view of the
 * packet and its metadata: registers, metadata, ct fields), the conntrack metadata the datapath carries with it, the
 * action set, and where it is in the pipeline.
 *
 * <p>Instances are per datapath thread and reused, one per clone depth (groups, forks), so a packet on an established
 * connection allocates nothing.
 *
 * <h2>Thread-safety</h2> Confined to one datapath thread.
 */
public final class PacketContext {
    /** Largest frame: 64 KiB plus room for pushed headers. */
    public static final int MAX_FRAME = 65535 + 64;

    byte[] frame = new byte[2048];
    int len;
    /** The flow key (OVS's {@code struct flow} as translation sees it). */
    final long[] key = FlowKey.newKey();
    /** The datapath's conntrack metadata (OVS {@code pkt_metadata}): survives a ct() without table=. */
    final CtMetadata ct = new CtMetadata();
    final ActionSet actionSet = new ActionSet();
    /** Offset of the L3 header, or -1. */
    int l3;
    /** OVS 16-bit number of the port the packet came in on (before any in_port rewrite). */
    int inPortOrig;
    /** Table being processed, and the flow hit there (for packet-in table_id and cookie). */
    int tableId;
    long cookie;
    /** Resubmit recursion depth and total resubmits of this packet (OVS's limits). */
    int depth;
    int resubmits;
    /** Which of its thread's contexts this is: 0 for the packet, n for a clone n deep. */
    int cloneIndex;
    /** Recirculation depth (ct(table=N)). */
    int recirculations;
    /** Whether the flow being run is a table-miss flow (priority 0, empty match): its packet-ins say no_match. */
    boolean missFlow;
    /** Set by an action that ends processing (exit, an error). */
    boolean stopped;
    /** Whether any output or packet-in happened (for counting drops). */
    boolean emitted;
    long nowNanos;
    /**
     * The flow tables this packet sees from start to end (clones and resubmits included), taken once when it enters
     * the pipeline, so that a bundle committed meanwhile is seen whole or not at all (OVS's per-translation
     * {@code tables_version}).
     */
    dev.ofswitch.ofswitch.table.FlowTables.Version tables;
    int worker;
    /** The action stack (push/pop), 128-bit entries; kept across resubmits and recirculations as in OVS. */
    long[] stackHi = new long[8];
    long[] stackLo = new long[8];
    int stackDepth;

    /** Prepares for a new packet: copies the frame, clears state. */
    void load(byte[] src, int srcLen) {
        if (frame.length < srcLen + 64) {
            frame = new byte[Math.min(MAX_FRAME, Math.max(srcLen + 64, frame.length * 2))];
        }
        System.arraycopy(src, 0, frame, 0, srcLen);
        len = srcLen;
        java.util.Arrays.fill(key, 0);
        ct.clear();
        actionSet.clear();
        stackDepth = 0;
        depth = 0;
        resubmits = 0;
        recirculations = 0;
        cloneIndex = 0;
        stopped = false;
        emitted = false;
        missFlow = false;
        tableId = 0;
        cookie = 0;
    }

    /** Makes this context a copy of {@code o} (a clone for a group bucket or a fork). */
    void copyFrom(PacketContext o) {
        if (frame.length < o.len + 64) {
            frame = new byte[Math.max(o.len + 64, 2048)];
        }
        System.arraycopy(o.frame, 0, frame, 0, o.len);
        len = o.len;
        System.arraycopy(o.key, 0, key, 0, key.length);
        ct.copyFrom(o.ct);
        actionSet.copyFrom(o.actionSet);
        l3 = o.l3;
        inPortOrig = o.inPortOrig;
        tableId = o.tableId;
        cookie = o.cookie;
        depth = o.depth;
        resubmits = o.resubmits;
        recirculations = o.recirculations;
        missFlow = o.missFlow;
        stopped = false;
        emitted = false;
        nowNanos = o.nowNanos;
        tables = o.tables;
        worker = o.worker;
        if (stackLo.length < o.stackDepth) {
            stackHi = new long[o.stackHi.length];
            stackLo = new long[o.stackLo.length];
        }
        System.arraycopy(o.stackHi, 0, stackHi, 0, o.stackDepth);
        System.arraycopy(o.stackLo, 0, stackLo, 0, o.stackDepth);
        stackDepth = o.stackDepth;
    }

    /** Pushes a value on the action stack. */
    void stackPush(long hi, long lo) {
        if (stackDepth == stackLo.length) {
            stackHi = java.util.Arrays.copyOf(stackHi, stackDepth * 2);
            stackLo = java.util.Arrays.copyOf(stackLo, stackDepth * 2);
        }
        stackHi[stackDepth] = hi;
        stackLo[stackDepth] = lo;
        stackDepth++;
    }

    /** Grows the frame buffer to hold at least {@code n} bytes. */
    void ensureCapacity(int n) {
        if (frame.length < n) {
            frame = java.util.Arrays.copyOf(frame, Math.min(MAX_FRAME, Math.max(n, frame.length * 2)));
        }
    }

    public byte[] frame() {
        return frame;
    }

    public int length() {
        return len;
    }

    public long[] key() {
        return key;
    }

    public CtMetadata ct() {
        return ct;
    }

    public int tableId() {
        return tableId;
    }

    public long cookie() {
        return cookie;
    }

    public long nowNanos() {
        return nowNanos;
    }
}
