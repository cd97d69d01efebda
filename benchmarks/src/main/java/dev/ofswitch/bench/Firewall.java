package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.conntrack.time.SwitchClock;
import dev.ofswitch.ofswitch.OfSwitch;
import dev.ofswitch.ofswitch.SwitchConfig;
import dev.ofswitch.ofswitch.codec.CtActionDecoder;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.Hex;
import dev.ofswitch.ofswitch.codec.Messages;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.pipeline.GroupTable;
import dev.ofswitch.ofswitch.pipeline.MacTable;
import dev.ofswitch.ofswitch.pipeline.PacketContext;
import dev.ofswitch.ofswitch.pipeline.Pipeline;
import dev.ofswitch.ofswitch.pipeline.PipelineHost;
import dev.ofswitch.ofswitch.port.Port;
import dev.ofswitch.ofswitch.table.FlowEntry;
import dev.ofswitch.ofswitch.table.FlowTables;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A switch with a Neutron-style stateful firewall in its flow tables, and its OpenFlow pipeline driven directly: the
 * set-up of {@code bench fw-pipeline} ({@link FirewallBenchmark}) and of the JMH
 * {@code FirewallPipelineBenchmark}.
 *
 * <p>The switch is a real {@link OfSwitch} (ports p1 and p2, its conntrack engine, its flow tables and program
 * compiler) that is never started: no Netty, no sockets, no datapath threads. Its four flows are installed from the
 * bytes of the OpenFlow 1.3 FLOW_MODs that {@code ovs-ofctl -O OpenFlow13 add-flow} sends (captured once, see
 * {@link #FLOW_MODS}), through the switch's own decoder ({@link Messages#decode}, as the control thread does) and
 * {@link FlowTables#apply}:
 *
 * <pre>
 * table=0, ip,                  actions=load:0x1-&gt;NXM_NX_REG6[],ct(table=1,zone=NXM_NX_REG6[0..15])
 * table=1, ct_state=+new+trk,ip, actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1-&gt;ct_mark)),output:2
 * table=1, ct_state=+est+trk,ip, actions=output:2
 * table=1, ct_state=+inv+trk,    actions=drop
 * </pre>
 *
 * A {@link Pipeline} with one worker per benchmark thread runs packets: {@link #process} is what a datapath thread
 * does with a frame received on a port. Its {@link PipelineHost} hands it the switch's clock, conntrack engine, flow
 * tables, groups and ports, as the switch's own host does; the only difference is that a packet-in is counted
 * ({@link #packetIns}) instead of sent, and there is none in this workload. Port 2's sink counts frames and does
 * nothing else ({@link #output}).
 *
 * <p>Thread-safety: {@link #process} may be called concurrently with distinct worker indexes (the pipeline keeps its
 * packet contexts per worker); the rest is set-up, on one thread.
 */
public final class Firewall implements AutoCloseable {
    /**
     * The four FLOW_MODs as {@code ovs-ofctl -O OpenFlow13 add-flow tcp:127.0.0.1:PORT FLOW} (Open vSwitch 3.1.0)
     * sends them, captured from the wire with the shared oracle's {@code of13-mock-switch} (every message logged in
     * hex). Each is preceded by its ovs-ofctl text.
     */
    static final String[] FLOW_MODS = {
        // table=0,ip,actions=load:0x1->NXM_NX_REG6[],ct(table=1,zone=NXM_NX_REG6[0..15])
        "040e007800000006000000000000000000000000000000000000000000008000ffffffffffffffffffffffff000000000001000a"
            + "80000a0208000000000000000004003800000000ffff0018000023200007001f00010c040000000000000001ffff0018"
            + "000023200023000000010c04000f010000000000",
        // table=1,ct_state=+new+trk,ip,actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1->ct_mark)),
        //     output:2
        "040e008800000006000000000000000000000000000000000100000000008000ffffffffffffffffffffffff000000000001"
            + "001680000a0208000001d308000000210000002100000004004000000000ffff0028000023200023000100010c04000f"
            + "ff0000000000001900100001d604000000010000000000000010000000020000000000000000",
        // table=1,ct_state=+est+trk,ip,actions=output:2
        "040e006000000006000000000000000000000000000000000100000000008000ffffffffffffffffffffffff000000000001"
            + "001680000a0208000001d30800000022000000220000000400180000000000000010000000020000000000000000",
        // table=1,ct_state=+inv+trk,actions=drop
        "040e004000000006000000000000000000000000000000000100000000008000ffffffffffffffffffffffff000000000001"
            + "00100001d3080000003000000030",
    };

    /** Port numbers: packets of the original direction come in on p1 and go out of p2. */
    public static final int IN_PORT = 1;
    public static final int OUT_PORT = 2;

    private final OfSwitch sw;
    private final Pipeline pipeline;
    private final LongAdder output = new LongAdder();
    private final LongAdder packetIns = new LongAdder();
    private final FlowEntry newFlow;
    private final FlowEntry estFlow;
    private final FlowEntry invFlow;

    /**
     * Builds the switch on {@code clock}, installs the firewall and makes a pipeline for {@code workers} threads.
     *
     * @throws OpenFlowException if the switch refuses one of the FLOW_MODs (it would answer an OFPT_ERROR)
     */
    public Firewall(int workers, SwitchClock clock) throws OpenFlowException {
        sw = new OfSwitch(SwitchConfig.defaults().ports(2).datapathThreads(workers).clock(clock));
        sw.port(OUT_PORT).setSink((frame, off, len) -> output.increment());
        Messages.ConnectionState state = new Messages.ConnectionState(false, CtActionDecoder.INSTANCE);
        for (String hex : FLOW_MODS) {
            FlowMod fm = (FlowMod) Messages.decode(Unpooled.wrappedBuffer(Hex.decode(hex)), state);
            sw.flowTables().apply(fm, clock.nanoTime());
        }
        // In install order, which is FLOW_MODS's: table 0's flow, then +new, +est, +inv.
        List<FlowEntry> flows = new ArrayList<>(sw.flowTables().all());
        flows.sort(Comparator.comparingLong(FlowEntry::seq));
        if (flows.size() != FLOW_MODS.length || flows.get(0).tableId() != 0 || flows.get(3).tableId() != 1) {
            throw new IllegalStateException("the firewall's flows did not install as expected: " + flows);
        }
        newFlow = flows.get(1);
        estFlow = flows.get(2);
        invFlow = flows.get(3);
        pipeline = new Pipeline(new Host(), workers);
    }

    /** A firewall on a frozen clock. */
    public static Firewall frozen(int workers) throws OpenFlowException {
        return new Firewall(workers, ControllableClock.manual(System.nanoTime()));
    }

    /** What a datapath thread does with {@code frame[0, len)} received on {@code inPort}: the whole pipeline. */
    public void process(int worker, int inPort, byte[] frame, int len) {
        pipeline.process(worker, inPort, frame, len);
    }

    /** Frames port 2 has sent. */
    public long output() {
        return output.sum();
    }

    /** Packet-ins the pipeline asked for (none expected). */
    public long packetIns() {
        return packetIns.sum();
    }

    /** Packets that hit the {@code +new+trk} flow, the {@code +est+trk} flow, the {@code +inv+trk} flow. */
    public long[] flowPackets() {
        return new long[] {newFlow.packets(), estFlow.packets(), invFlow.packets()};
    }

    public ConnTracker conntrack() {
        return sw.conntrack();
    }

    /** The switch (never started). */
    public OfSwitch sw() {
        return sw;
    }

    @Override
    public void close() {
        sw.close();
    }

    /** The switch's parts, as {@code OfSwitch}'s own host hands them to its pipeline. */
    private final class Host implements PipelineHost {
        private final MacTable macTable = new MacTable();

        @Override
        public SwitchClock clock() {
            return sw.clock();
        }

        @Override
        public ConnTracker conntrack() {
            return sw.conntrack();
        }

        @Override
        public FlowTables flowTables() {
            return sw.flowTables();
        }

        @Override
        public GroupTable groups() {
            return sw.groups();
        }

        @Override
        public Port port(int ofp10Port) {
            return sw.port(ofp10Port == 0xfffe ? Port.LOCAL : ofp10Port);
        }

        @Override
        public Iterable<Port> ports() {
            return sw.ports();
        }

        @Override
        public void packetIn(PacketContext ctx, int reason, boolean missRule, int tableId, long cookie, int maxLen,
                             int controllerId, byte[] userdata) {
            packetIns.increment();
        }

        @Override
        public MacTable macTable() {
            return macTable;
        }
    }
}
