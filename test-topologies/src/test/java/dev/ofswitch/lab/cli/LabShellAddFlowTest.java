package dev.ofswitch.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.topo.Topologies;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab console's {@code add-flow S FLOW}: ovs-ofctl syntax through our parser, seen by {@code dump-flows}. */
class LabShellAddFlowTest {
    @Test
    void addFlow_thenDumpFlows_andErrorsNameTheProblem() throws Exception {
        try (Lab lab = Lab.start(Topologies.parseSpec("single,2", false), new Lab.Options().unixctl(false))) {
            // The embedded controller deletes every flow when it connects: add ours after that.
            assertTrue(lab.awaitConnected(Duration.ofSeconds(30)), "the controller set up s1");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            LabShell sh = new LabShell(lab, new PrintStream(buf, true, StandardCharsets.UTF_8), List.of(), null);
            assertTrue(sh.run("add-flow s1 'table=3,priority=77,ip,nw_dst=10.0.0.0/8,actions=ct(commit),output:2'"));
            assertEquals("", buf.toString(StandardCharsets.UTF_8));
            sh.run("dump-flows s1");
            assertTrue(buf.toString(StandardCharsets.UTF_8).contains(
                    "table=3, n_packets=0, n_bytes=0, priority=77,ip,nw_dst=10.0.0.0/8 actions=ct(commit),output:2\n"),
                    buf.toString(StandardCharsets.UTF_8));
            buf.reset();
            sh.run("add-flow s1 ip,foo=1,actions=drop");
            assertEquals("*** Error: add-flow s1: unknown keyword foo\n",
                    buf.toString(StandardCharsets.UTF_8));
            buf.reset();
            sh.run("add-flow s9 actions=drop");
            assertTrue(buf.toString(StandardCharsets.UTF_8).startsWith("*** Error: no switch named \"s9\""),
                    buf.toString(StandardCharsets.UTF_8));
            buf.reset();
            sh.run("add-flow s1");
            assertEquals("*** Error: usage: add-flow SWITCH FLOW\n", buf.toString(StandardCharsets.UTF_8));
        }
    }
}
