package dev.ofswitch.lab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.junit.LabTopology;
import dev.ofswitch.ofswitch.table.FlowEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Open vSwitch's own test controller ({@code ovs-testcontroller}, Debian's openvswitch-testcontroller: OVS's
 * {@code lib/learning-switch.c}, an OpenFlow 1.0 MAC-learning controller) controls {@code single,3}: pingall is 6/6,
 * the switch holds the exact-match flows the controller set up, and the controller logged no OFPT_ERROR. Skipped,
 * with a notice, without ovs-testcontroller.
 *
 * <h2>Why {@code -O OpenFlow10}, and why wait for the FEATURES_REPLY</h2>
 * <ul>
 * <li>Allowed every version, it negotiates OpenFlow 1.5 with our switch, and then every PACKET_OUT it sends is
 * garbage: {@code process_packet_in()} in {@code learning-switch.c} leaves {@code struct ofputil_packet_out po}
 * uninitialized except for the in_port, and from 1.5 on the packet-out carries the whole {@code flow_metadata} as a
 * match, stack bytes included; ovs-testcontroller's own log decodes it as {@code OFPBMC_BAD_MASK} and our switch
 * answers OFPT_ERROR. Up to 1.4 only the in_port is encoded, so 1.0 (what it was written for) is correct.
 * <li>It ignores every message but ECHO_REQUEST until the FEATURES_REPLY arrives ({@code lswitch_process_packet()}),
 * and a switch may send a PACKET_IN first (OpenFlow allows it once HELLOs are exchanged, which is all
 * {@link Lab#awaitConnected} waits for); the ARP in it would be lost and retried a second later. The test waits for
 * the controller's vconn debug log to show the FEATURES_REPLY.
 * </ul>
 */
@RequiresTool(value = "ovs-testcontroller", debianPackage = "openvswitch-testcontroller")
class OvsTestControllerIT {
    private static final String PORT_PROPERTY = "it.testcontroller.port";
    private static ExternalProcess controller;

    @BeforeAll
    static void startTestController() throws Exception {
        // The log goes to the console, i.e. the log file; --unixctl because the default control socket lives in
        // /var/run/openvswitch, which may not exist.
        Path ctl = ExternalProcess.LOG_DIR.toAbsolutePath().resolve("ovs-testcontroller.ctl");
        controller = ExternalProcess.startController("ovs-testcontroller", port -> List.of("ovs-testcontroller",
                "-O", "OpenFlow10", "--unixctl=" + ctl, "-vconsole:info", "-vvconn:console:dbg",
                "-vlearning_switch:console:dbg", "ptcp:" + port + ":127.0.0.1"), "ovs-testcontroller.log",
                PORT_PROPERTY);
    }

    @AfterAll
    static void stopTestController() {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    @LabTopology(value = "single,3", controller = "remote,ip=127.0.0.1,port=${" + PORT_PROPERTY + "}",
            unixctl = false)
    void single3_pingall_isSixOfSix(Lab lab) throws Exception {
        assertTrue(controller.awaitLog("received: OFPT_FEATURES_REPLY", 1, Duration.ofSeconds(10)),
                () -> "no FEATURES_REPLY in the controller's log\n" + controller.logTail(30));
        Lab.PingAll r = lab.pingAll(List.of("h1", "h2", "h3"), 2000);
        assertEquals(6, r.received(), () -> r + "\n" + controller.logTail(40));

        // The controller's flows: exact-match (OpenFlow 1.0: every field but the wildcarded ones), output to a port.
        List<FlowEntry> flows = Await.flows(lab, "s1");
        assertTrue(flows.size() >= 6, flows::toString);
        assertTrue(controller.awaitLog("learned that 02:00:00:00:00:03 is on port 3", 1, Duration.ofSeconds(1)),
                () -> controller.logTail(30));
        assertEquals(List.of(), controller.logLines(l -> l.contains("OFPT_ERROR") || l.contains("|ERR|")
                || l.contains("decode error")), () -> controller.logTail(40));
    }
}
