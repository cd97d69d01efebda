package dev.ofswitch.ofswitch.pipeline;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.datapath.PacketProcessor;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.port.Port;
import dev.ofswitch.ofswitch.table.FlowEntry;
import dev.ofswitch.ofswitch.table.FlowTables;
import java.util.concurrent.atomic.LongAdder;

/**
 * The OpenFlow pipeline, run by datapath threads.
 *
 * <h2>What</h2> A frame that arrives on a port is parsed into a flow key and looked up in table 0; the flow that
 * matches runs its instructions (apply-actions, clear/write-actions, write-metadata, goto-table) and the packet moves
 * on until no goto remains; then the action set runs. Actions rewrite the frame and key in place, output to ports
 * (reserved ports included: IN_PORT, ALL, FLOOD, CONTROLLER, LOCAL, NORMAL, TABLE for packet-outs), run groups,
 * resubmit to other tables, and send packet-ins.
 *
 * <h2>Design</h2> OVS translates a packet's first pass into datapath actions and caches them as a megaflow; this
 * pipeline interprets compiled {@link Program}s directly for every packet instead, which keeps OVS's observable
 * semantics (counters per OpenFlow flow, as the oracle's revalidator purge forces on OVS) without a flow cache.
 * Differences that follow: actions run as they are met, so the outputs done before an error (resubmit recursion too
 * deep) are not undone, where OVS drops the whole translation.
 *
 * <h2>Limits</h2> Resubmit depth {@value #MAX_DEPTH} and {@value #MAX_RESUBMITS} resubmits per packet (OVS's
 * {@code MAX_DEPTH} and {@code MAX_RESUBMITS}); past them the packet is dropped and counted.
 *
 * <h2>Thread-safety</h2> Each datapath thread has its own {@link PacketContext}s (one per clone depth); flow tables
 * and groups are read lock-free; counters are atomic.
 */
public final class Pipeline implements PacketProcessor {
    /** OVS {@code MAX_DEPTH}: nested resubmits. */
    static final int MAX_DEPTH = 64;
    /** OVS {@code MAX_RESUBMITS}: resubmits per packet. */
    static final int MAX_RESUBMITS = 4096;
    /** dpif-netdev's {@code MAX_RECIRC_DEPTH}: nested recirculations (ct(table=N)) per packet. */
    static final int MAX_RECIRC_DEPTH = 6;
    /** Clones (group buckets, forks) nested at most this deep. */
    static final int MAX_CLONES = 16;
    /** OFPCML_NO_BUFFER: send the whole packet to the controller. */
    static final int NO_BUFFER = 0xffff;

    private final PipelineHost host;
    private final PacketContext[][] contexts;
    private final LongAdder recursionDrops = new LongAdder();
    private final LongAdder stackUnderflows = new LongAdder();

    public Pipeline(PipelineHost host, int workers) {
        this.host = host;
        this.contexts = new PacketContext[workers + 1][];
        for (int w = 0; w <= workers; w++) {
            contexts[w] = new PacketContext[MAX_CLONES + 1];
        }
    }

    /**
     * The context of worker {@code w} at clone depth {@code d}, made on first use (a lab's thousand switches mostly
     * never clone). Only worker {@code w}'s thread touches its row.
     */
    private PacketContext context(int w, int d) {
        PacketContext c = contexts[w][d];
        if (c == null) {
            c = new PacketContext();
            c.worker = w;
            contexts[w][d] = c;
        }
        return c;
    }

    /** Packets dropped because resubmits nested too deep. */
    /** OVS's XLATE_STACK_UNDERFLOW: a pop from an empty action stack ends the packet's processing. */
    void stackUnderflow(PacketContext ctx) {
        stackUnderflows.increment();
        ctx.stopped = true;
    }

    /** Packets whose actions popped an empty action stack. */
    public long stackUnderflows() {
        return stackUnderflows.sum();
    }

    public long recursionDrops() {
        return recursionDrops.sum();
    }

    @Override
    public void process(int worker, int inPort, byte[] frame, int len) {
        Port in = host.port(toOfp10(inPort));
        if (in == null) {
            return;
        }
        long now = host.clock().nanoTime();
        in.received(frame, 0, len, now / 1000);
        if (!in.canReceive()) {
            in.rxDropped.increment();
            return;
        }
        PacketContext ctx = context(worker, 0);
        ctx.load(frame, len);
        ctx.nowNanos = now;
        ctx.tables = host.flowTables().version();
        ctx.inPortOrig = toOfp10(inPort);
        ctx.l3 = FlowExtractor.extract(ctx.frame, ctx.len, inPort, ctx.key);
        runTables(ctx, 0, true);
    }

    @Override
    public void packetOut(int worker, int inPort, byte[] frame, int len, Object program) {
        PacketContext ctx = context(worker, 0);
        ctx.load(frame, len);
        ctx.nowNanos = host.clock().nanoTime();
        ctx.tables = host.flowTables().version();
        int in16 = toOfp10(inPort);
        ctx.inPortOrig = in16;
        ctx.l3 = FlowExtractor.extract(ctx.frame, ctx.len, inPort, ctx.key);
        ctx.tableId = 0;
        runOps(ctx, (Ops.Op[]) program);
    }

    /** Maps an OpenFlow 1.1+ port number to OVS's 16-bit one (reserved ports 0xffffff00+ to 0xff00+). */
    static int toOfp10(int ofp11) {
        if (Integer.compareUnsigned(ofp11, 0xffffff00) >= 0) {
            return ofp11 - 0xffff0000;
        }
        return ofp11;
    }

    /** Runs tables from {@code table} until no goto_table remains, then the action set. */
    void runTables(PacketContext ctx, int table, boolean fromTop) {
        FlowTables tables = host.flowTables();
        int t = table;
        while (t >= 0 && !ctx.stopped) {
            ctx.tableId = t;
            FlowEntry e = tables.lookup(ctx.tables, t, ctx.key);
            if (e == null) {
                tableMiss(ctx, t);
                break;
            }
            t = runFlow(ctx, e);
        }
        if (fromTop && !ctx.stopped) {
            ctx.actionSet.execute(this, ctx);
        }
    }

    /** Runs one flow's instructions; returns the goto_table target or -1. */
    private int runFlow(PacketContext ctx, FlowEntry e) {
        e.hit(ctx.len, ctx.nowNanos);
        Program p = (Program) e.program();
        long savedCookie = ctx.cookie;
        ctx.cookie = e.cookie();
        boolean savedMiss = ctx.missFlow;
        ctx.missFlow = e.priority() == 0 && e.match().isCatchAll();
        runOps(ctx, p.apply);
        ctx.missFlow = savedMiss;
        if (ctx.stopped) {
            ctx.cookie = savedCookie;
            return -1;
        }
        if (p.clearActions) {
            ctx.actionSet.clear();
        }
        if (p.write != null) {
            ctx.actionSet.write(p.write);
        }
        if (p.writeMetadata) {
            long old = FlowKey.get(ctx.key, MatchField.METADATA);
            FlowKey.set(ctx.key, MatchField.METADATA, (old & ~p.metadataMask) | p.metadata);
        }
        return p.gotoTable;
    }

    void runOps(PacketContext ctx, Ops.Op[] ops) {
        for (Ops.Op op : ops) {
            if (ctx.stopped) {
                return;
            }
            op.run(this, ctx);
        }
    }

    /**
     * No flow matched: OpenFlow 1.3 drops; OVS's implicit miss rule still sends a packet-in (reason no_match) to
     * OpenFlow 1.0 controllers, as OpenFlow 1.0 prescribes.
     */
    private void tableMiss(PacketContext ctx, int table) {
        Port in = host.port(ctx.inPortOrig);
        if (in != null && (in.config() & Port.CONFIG_NO_PACKET_IN) != 0) {
            return;
        }
        host.packetIn(ctx, 0, true, table, 0, -1, 0, null);
    }

    // ------------------------------------------------------------------------------------------ actions

    /** output:PORT in OVS 16-bit numbering. */
    void output(PacketContext ctx, int port, int maxLen) {
        int in = (int) FlowKey.get(ctx.key, MatchField.IN_PORT);
        switch (port) {
            case Action.OFPP_IN_PORT:
                transmit(ctx, in);
                return;
            case Action.OFPP_TABLE:
                // Only meaningful in a packet-out: run the pipeline from table 0.
                if (ctx.depth < MAX_DEPTH) {
                    ctx.depth++;
                    runTables(ctx, 0, true);
                    ctx.depth--;
                }
                return;
            case Action.OFPP_NORMAL:
                normal(ctx, in);
                return;
            case Action.OFPP_FLOOD:
            case Action.OFPP_ALL:
                for (Port p : host.ports()) {
                    int n = toOfp10(p.number());
                    if (n != in) {
                        p.transmit(ctx.frame, 0, ctx.len, ctx.nowNanos / 1000);
                        ctx.emitted = true;
                    }
                }
                return;
            case Action.OFPP_CONTROLLER:
                controller(ctx, maxLen, ctx.missFlow ? 0 : 1, 0, null);
                return;
            case Action.OFPP_NONE:
                return;
            default:
                if (port == in) {
                    return;     // OpenFlow: output to the input port only through IN_PORT (OVS skips it)
                }
                transmit(ctx, port);
        }
    }

    private void transmit(PacketContext ctx, int port16) {
        Port p = host.port(port16);
        if (p != null) {
            p.transmit(ctx.frame, 0, ctx.len, ctx.nowNanos / 1000);
            ctx.emitted = true;
        }
    }

    /** NORMAL: MAC learning per VLAN, forward to the learned port or flood. */
    private void normal(PacketContext ctx, int in) {
        int vlan = (int) FlowKey.get(ctx.key, MatchField.VLAN_TCI) & 0xfff;
        long src = FlowKey.get(ctx.key, MatchField.ETH_SRC);
        long dst = FlowKey.get(ctx.key, MatchField.ETH_DST);
        MacTable macs = host.macTable();
        macs.learn(vlan, src, in, ctx.nowNanos);
        int out = (dst & 0x0100_0000_0000L) != 0 ? -1 : macs.lookup(vlan, dst, ctx.nowNanos);
        if (out >= 0) {
            if (out != in) {
                transmit(ctx, out);
            }
            return;
        }
        for (Port p : host.ports()) {
            int n = toOfp10(p.number());
            if (n != in && n != 0xfffe) {
                p.transmit(ctx.frame, 0, ctx.len, ctx.nowNanos / 1000);
                ctx.emitted = true;
            }
        }
    }

    /** A packet-in from a controller action. */
    void controller(PacketContext ctx, int maxLen, int reason, int controllerId, byte[] userdata) {
        ctx.emitted = true;
        host.packetIn(ctx, reason, false, ctx.tableId, ctx.cookie, maxLen, controllerId, userdata);
    }

    /** resubmit(port, table). */
    void resubmit(PacketContext ctx, int inPort, int table) {
        if (ctx.depth >= MAX_DEPTH || ctx.resubmits >= MAX_RESUBMITS) {
            recursionDrops.increment();
            ctx.stopped = true;
            return;
        }
        ctx.resubmits++;
        ctx.depth++;
        long savedInPort = FlowKey.get(ctx.key, MatchField.IN_PORT);
        if (inPort != Action.OFPP_IN_PORT) {
            FlowKey.set(ctx.key, MatchField.IN_PORT, inPort);
        }
        int savedTable = ctx.tableId;
        long savedCookie = ctx.cookie;
        int t = table == 255 ? ctx.tableId : table;
        FlowTables tables = host.flowTables();
        while (t >= 0 && !ctx.stopped) {
            ctx.tableId = t;
            FlowEntry e = tables.lookup(ctx.tables, t, ctx.key);
            if (e == null) {
                break;
            }
            t = runFlow(ctx, e);
        }
        if (inPort != Action.OFPP_IN_PORT) {
            FlowKey.set(ctx.key, MatchField.IN_PORT, savedInPort);
        }
        ctx.tableId = savedTable;
        ctx.cookie = savedCookie;
        ctx.depth--;
        if (ctx.stopped && ctx.depth > 0) {
            return;
        }
        ctx.stopped = false;    // exit inside a resubmitted flow ends that flow's actions only
    }

    /**
     * dec_ttl: at TTL 0 or 1 the packet goes to each controller id in {@code controllerIds} (reason invalid TTL; a
     * connection receives it if its controller id matches, as OVS's {@code compose_dec_ttl()} calls
     * {@code execute_controller_action()} per id) and processing ends.
     */
    void decTtl(PacketContext ctx, int[] controllerIds) {
        long type = FlowKey.get(ctx.key, MatchField.ETH_TYPE);
        if (type != 0x0800 && type != 0x86dd) {
            return;
        }
        long ttl = FlowKey.get(ctx.key, MatchField.NW_TTL);
        if (ttl > 1) {
            FlowKey.set(ctx.key, MatchField.NW_TTL, ttl - 1);
            PacketEditor.write(ctx, MatchField.NW_TTL);
            return;
        }
        for (int id : controllerIds) {
            host.packetIn(ctx, 2, false, ctx.tableId, ctx.cookie, NO_BUFFER, id, null);
        }
        ctx.stopped = true;
    }

    /**
     * ct(...): the engine tracks the packet (its datapath metadata changes); with {@code table=N} a copy continues
     * in table N seeing the new state (OVS's recirculation, run at once, depth first, as dpif-netdev does); then the
     * rest of this pass sees the packet untracked (OVS's {@code flow_clear_conntrack()}).
     */
    void conntrack(PacketContext ctx, Ops.Ct op) {
        dev.ofswitch.ctactions.CtAction a = op.action;
        int zone = op.zoneField == null ? a.zoneImm()
                : (int) Bits.readBits(ctx.key, op.zoneField, a.zoneOfs(), 16);
        dev.ofswitch.conntrack.CtParams params = op.params != null ? op.params
                : a.params((src, ofs, n) -> Bits.readBits(ctx.key, (MatchField) src, ofs, n));
        dev.ofswitch.ctactions.CtExecutor.execute(host.conntrack(), a, params, zone, ctx.frame, ctx.len, ctx.ct,
                ctx.nowNanos);
        if (a.recirculates()) {
            recirculate(ctx, a.recircTable());
        }
        CtKeys.clear(ctx.key);
    }

    /** A recirculated copy of the packet: packet fields parsed again, ct fields from the metadata, from {@code table}. */
    private void recirculate(PacketContext ctx, int table) {
        if (ctx.recirculations >= MAX_RECIRC_DEPTH) {
            recursionDrops.increment();
            return;
        }
        int index = ctx.cloneIndex + 1;
        if (index > MAX_CLONES) {
            recursionDrops.increment();
            return;
        }
        PacketContext clone = context(ctx.worker, index);
        clone.copyFrom(ctx);
        clone.cloneIndex = index;
        clone.recirculations = ctx.recirculations + 1;
        clone.depth = 0;
        clone.resubmits = 0;
        clone.l3 = FlowExtractor.extract(clone.frame, clone.len,
                (int) FlowKey.get(clone.key, MatchField.IN_PORT_OXM), clone.key);
        CtKeys.fromMetadata(clone.key, clone.ct);
        runTables(clone, table, true);
        ctx.emitted |= clone.emitted;
    }

    /** group:ID: all, select, indirect, fast failover; every bucket runs on a copy of the packet. */
    void group(PacketContext ctx, long groupId) {
        GroupTable.Group g = host.groups().get(groupId);
        if (g == null) {
            return;
        }
        g.packets.increment();
        g.bytes.add(ctx.len);
        switch (g.type) {
            case GroupTable.ALL:
                for (GroupTable.Bucket b : g.buckets) {
                    runBucket(ctx, b);
                }
                return;
            case GroupTable.INDIRECT:
                if (g.buckets.length > 0) {
                    runBucket(ctx, g.buckets[0]);
                }
                return;
            case GroupTable.SELECT: {
                if (g.totalWeight <= 0) {
                    return;
                }
                long h = selectHash(ctx.key);
                long pick = Math.floorMod(h, (long) g.totalWeight);
                for (GroupTable.Bucket b : g.buckets) {
                    pick -= Math.max(0, b.weight);
                    if (pick < 0) {
                        runBucket(ctx, b);
                        return;
                    }
                }
                return;
            }
            case GroupTable.FAST_FAILOVER:
                for (GroupTable.Bucket b : g.buckets) {
                    if (live(b)) {
                        runBucket(ctx, b);
                        return;
                    }
                }
                return;
            default:
                return;
        }
    }

    private boolean live(GroupTable.Bucket b) {
        if (b.watchPort != Action.OFPP_NONE && b.watchPort != 0xffffffff) {
            Port p = host.port(toOfp10(b.watchPort));
            if (p == null || !p.canForward()) {
                return false;
            }
        }
        if (b.watchGroup != 0xffffffffL) {
            GroupTable.Group g = host.groups().get(b.watchGroup);
            if (g == null) {
                return false;
            }
            for (GroupTable.Bucket x : g.buckets) {
                if (live(x)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private static long selectHash(long[] key) {
        long h = 0x9E3779B97F4A7C15L;
        for (int w : new int[] {FlowKey.W_L2_L3, FlowKey.W_ETH_DST_TTL_FRAG, FlowKey.W_NW_ADDR, FlowKey.W_TP}) {
            h = (h ^ key[w]) * 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
        }
        return h;
    }

    private void runBucket(PacketContext ctx, GroupTable.Bucket b) {
        b.packets.increment();
        b.bytes.add(ctx.len);
        int index = ctx.cloneIndex + 1;
        if (index > MAX_CLONES) {
            recursionDrops.increment();
            return;
        }
        PacketContext clone = context(ctx.worker, index);
        clone.copyFrom(ctx);
        clone.cloneIndex = index;
        clone.actionSet.clear();
        runOps(clone, b.actions);
        ctx.emitted |= clone.emitted;
    }
}
