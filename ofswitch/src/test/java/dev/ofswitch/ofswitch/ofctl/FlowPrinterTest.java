package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.ActionCodec;
import dev.ofswitch.ofswitch.codec.CtActionDecoder;
import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.Instruction;
import dev.ofswitch.ofswitch.codec.Instructions;
import dev.ofswitch.ofswitch.codec.Match;
import dev.ofswitch.ofswitch.codec.MatchEntry;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parts of ovs-ofctl's text that the recorded dumps ({@link FlowPrinterGoldenTest}) do not reach: port and table
 * names ({@code --names}), durations that are not whole milliseconds, C's {@code %#x} of zero, masks that are not
 * CIDR, option parsing, and a reply split over several messages.
 */
class FlowPrinterTest {
    private static final int OF13 = OfVersion.OF13;

    private static Action.ActionList actions(Action... a) throws Exception {
        ByteBuf b = Unpooled.buffer();
        ActionCodec.encode(b, List.of(a), OF13);
        return ActionCodec.decode(b, b.readableBytes(), OF13, CtActionDecoder.INSTANCE);
    }

    private static FlowStats.Entry entry(long sec, long nsec, int priority, Match m, Instructions ins) {
        return new FlowStats.Entry(1, sec, nsec, priority, 0, 0, 0, 0, 0, 7, 420, -1, -1, m, ins);
    }

    @Test
    void names_portsAndTablesAsOvsOfctlNamesShowsThem() throws Exception {
        Match m = Match.ofOxm(List.of(MatchEntry.of(MatchField.IN_PORT_OXM, OF13, 1, null)));
        Instructions ins = Instructions.of(OF13, List.of(
                new Instruction.ApplyActions(actions(new Action.Output(2, 0), new Action.Output(3, 0),
                        new Action.Resubmit(4, 255, false, 1), new Action.Output(Action.OFPP_LOCAL, 0))),
                new Instruction.GotoTable(2)));
        FlowPrinter.Options o = new FlowPrinter.Options(false, Map.of(1, "p1", 2, "a b", 3, "7", 4, "local"),
                Map.of(1, "classify", 2, "fwd"), List.of());
        assertEquals("table=classify, priority=5,in_port=p1 actions=output:\"a b\",output:\"7\",resubmit:\"local\","
                + "LOCAL,goto_table:fwd", FlowPrinter.flow(entry(0, 0, 5, m, ins), OF13, o));
    }

    @Test
    void duration_millisecondsAsThreeDecimalsElseAsManyAsNeeded() throws Exception {
        Instructions drop = Instructions.of(OF13, List.of());
        // An empty match prints nothing, so the ", " after n_bytes stays (OVS's familiar "n_bytes=0, actions=").
        assertEquals("cookie=0x0, duration=3s, table=1, n_packets=7, n_bytes=420, actions=drop",
                FlowPrinter.flow(entry(3, 0, 32768, Match.EMPTY_OXM, drop), OF13, FlowPrinter.Options.DEFAULT));
        assertEquals("cookie=0x0, duration=3.040s, table=1, n_packets=7, n_bytes=420, priority=0 actions=drop",
                FlowPrinter.flow(entry(3, 40_000_000, 0, Match.EMPTY_OXM, drop), OF13, FlowPrinter.Options.DEFAULT));
        assertEquals("cookie=0x0, duration=3.0000012s, table=1, n_packets=7, n_bytes=420, priority=0 actions=drop",
                FlowPrinter.flow(entry(3, 1_200, 0, Match.EMPTY_OXM, drop), OF13, FlowPrinter.Options.DEFAULT));
    }

    @Test
    void values_zeroWithoutPrefixAndNonCidrMasksInFull() throws Exception {
        Match m = Match.ofOxm(List.of(
                MatchEntry.of(MatchField.ETH_TYPE, OF13, 0x0800, null),
                MatchEntry.of(MatchField.IPV4_SRC, OF13, 0x0a000001L, 0xff00ff00L),
                MatchEntry.of(MatchField.reg(3), OF13, 0, 0xf0L),
                MatchEntry.of(MatchField.METADATA, OF13, 0, null)));
        Instructions ins = Instructions.of(OF13, List.of(new Instruction.WriteMetadata(0, 0xffL)));
        assertEquals("ip,reg3=0/0xf0,metadata=0,nw_src=10.0.0.0/255.0.255.0 actions=write_metadata:0/0xff",
                FlowPrinter.flow(entry(0, 0, 32768, m, ins), OF13, FlowPrinter.Options.DEFAULT.noStats())
                        .replace("table=1, ", ""));
    }

    @Test
    void options_asOvsOfctlReadsThem() {
        assertEquals(FlowPrinter.Options.DEFAULT.noStats().sorted(new FlowPrinter.SortKey(null, false),
                        new FlowPrinter.SortKey("tcp_dst", true)),
                FlowPrinter.Options.fromArgs("--no-stats", "--sort", "--rsort=tcp_dst"));
        assertEquals("bogus: unknown field name", assertThrows(IllegalArgumentException.class,
                () -> FlowPrinter.Options.fromArgs("--sort=bogus")).getMessage());
        assertEquals("NXM_OF_TCP_DST: unknown field name", assertThrows(IllegalArgumentException.class,
                () -> FlowPrinter.Options.fromArgs("--rsort=NXM_OF_TCP_DST")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> FlowPrinter.Options.fromArgs("--sorted"));
    }

    @Test
    void replies_oneHeaderPerMessageAndMoreFlagged() throws Exception {
        Instructions ins = Instructions.of(OF13, List.of(new Instruction.ApplyActions(actions(
                new Action.Note(new byte[65000])))));
        FlowStats.Entry big = entry(0, 0, 1, Match.EMPTY_OXM, ins);
        List<ByteBuf> parts = FlowStats.encodeReply(ByteBufAllocator.DEFAULT, FlowStats.Request.all(OF13, 9),
                List.of(big, big));
        try {
            String text = FlowPrinter.dumpFlows(parts, FlowPrinter.Options.DEFAULT);
            String[] lines = text.split("\n");
            assertEquals(4, lines.length);
            assertEquals("OFPST_FLOW reply (OF1.3) (xid=0x9): flags=[more]", lines[0]);
            assertEquals("OFPST_FLOW reply (OF1.3) (xid=0x9):", lines[2]);
            assertTrue(lines[1].startsWith(" cookie=0x0, duration=0s, table=1, n_packets=7, n_bytes=420, priority=1"
                    + " actions=note:00.00."), lines[1].substring(0, 100));
            assertEquals(lines[1], lines[3]);
        } finally {
            parts.forEach(ByteBuf::release);
        }
    }
}
