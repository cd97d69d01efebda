package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.ofctl.FlowPrinter;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@link FlowLoader} and {@code bin/ofswitch --flows}: ovs-ofctl flow text installed in-process, no OVS needed. */
class FlowLoaderTest {
    @TempDir
    Path tmp;

    private static String dump(OfSwitch sw) throws Exception {
        List<ByteBuf> replies = sw.flowStats(FlowStats.Request.all(OfVersion.OF13, 2));
        try {
            return FlowPrinter.dumpFlows(replies, FlowPrinter.Options.DEFAULT.noStats());
        } finally {
            replies.forEach(ByteBuf::release);
        }
    }

    @Test
    void addFlows_installsThroughTheFlowModPath_portNamesResolved() throws Exception {
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(2))) {
            sw.start();
            int n = FlowLoader.addFlows(sw, "# comment\n"
                    + "table=0,priority=100,ip,in_port=p1,actions=ct(table=1,zone=5)\n"
                    + "\n"
                    + "table=1,priority=10,ct_state=+new+trk,ip,actions=ct(commit,zone=5,exec(set_field:0x100/0xf00->ct_mark)),output:p2\n"
                    + "delete table=1\n"
                    + "table=1,priority=5,actions=drop\n", "f.txt");
            assertEquals(4, n);
            assertEquals(" priority=100,ip,in_port=1 actions=ct(table=1,zone=5)\n"
                    + " table=1, priority=5 actions=drop\n", dump(sw));
            FlowLoader.addFlow(sw, "table=2,priority=1,actions=output:br0");
            assertTrue(dump(sw).contains(" table=2, priority=1 actions=LOCAL\n"), dump(sw));
        }
    }

    @Test
    void badLine_namesFileAndLine_likeOvsOfctl_andKeepsEarlierFlows() throws Exception {
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(2))) {
            sw.start();
            FlowLoader.FlowLoadException e = assertThrows(FlowLoader.FlowLoadException.class,
                    () -> FlowLoader.addFlows(sw, "priority=1,actions=drop\npriority=2,foo=1,actions=drop\n", "f.txt"));
            assertEquals("f.txt:2: unknown keyword foo", e.getMessage());
            assertEquals("", dump(sw), "a file with a bad line installs nothing (ovs-ofctl parses the whole file first)");
            e = assertThrows(FlowLoader.FlowLoadException.class,
                    () -> FlowLoader.addFlow(sw, "actions=group:7"));
            assertTrue(e.getMessage().contains("refused by the switch: OFPBAC_BAD_OUT_GROUP"), e.getMessage());
        }
    }

    @Test
    void switchMain_flowsFileWithBadLine_failsStartUpNamingFileAndLine() throws Exception {
        Path f = tmp.resolve("flows.txt");
        Files.writeString(f, "ip,actions=drop\nip,actions=output:p9\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int rc;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            rc = new CommandLine(new SwitchMain()).execute("--ports", "2", "--flows", f.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(1, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ofswitch: " + f + ":2: "), err.toString());

        rc = new CommandLine(new SwitchMain()).execute("--flows", tmp.resolve("missing.txt").toString());
        assertEquals(2, rc);
    }
}
