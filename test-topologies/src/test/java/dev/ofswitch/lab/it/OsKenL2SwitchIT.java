package dev.ofswitch.lab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.junit.LabTopology;
import dev.ofswitch.ofswitch.table.FlowEntry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real controller: os-ken ({@code osken-manager}, Debian's python3-os-ken) running our OpenFlow 1.3 L2 learning
 * switch app ({@code src/test/resources/osken/simple_switch_13.py}; Debian ships no sample apps) controls
 * {@code linear,3}: after its table-miss flow is in every switch, pingall loses nothing, the switches hold the
 * MAC-pair flows the app installed, and os-ken logged no error. Skipped, with a notice, without os-ken.
 */
@RequiresTool(value = "osken-manager", debianPackage = "python3-os-ken")
class OsKenL2SwitchIT {

    private static final String PORT_PROPERTY = "it.osken.l2.port";
    private static ExternalProcess osken;

    @BeforeAll
    static void startOsKen() throws Exception {
        osken = ExternalProcess.startOsKen("osken/simple_switch_13.py", "osken-l2.log", PORT_PROPERTY);
    }

    @AfterAll
    static void stopOsKen() {
        if (osken != null) {
            osken.close();
        }
    }

    @Test
    @LabTopology(value = "linear,3", controller = "remote,ip=127.0.0.1,port=${" + PORT_PROPERTY + "}",
            unixctl = false)
    void linear3_pingall_losesNothing(Lab lab) throws Exception {
        assertTrue(Await.flows(lab, 1, Duration.ofSeconds(10)),
                () -> "os-ken did not install its table-miss flow in every switch\n" + osken.logTail(30));
        List<String> hosts = List.of("h1", "h2", "h3");
        Lab.PingAll r = lab.pingAll(hosts, 2000);
        assertEquals(0, r.droppedPercent(), () -> r + "\n" + osken.logTail(40));
        assertEquals(6, r.received());

        // The app's flows: priority 1, in_port + eth_src + eth_dst -> output, next to the table-miss.
        List<FlowEntry> s2 = Await.flows(lab, "s2");
        assertTrue(s2.stream().anyMatch(f -> f.priority() == 0), s2::toString);
        assertTrue(s2.stream().filter(f -> f.priority() == 1).count() >= 4, s2::toString);
        // A second round goes over those flows: at most the odd expired-ARP packet-in, no flood storm.
        long before = osken.logLines(l -> l.contains("l2: ")).size();
        assertEquals(6, lab.pingAll(hosts, 2000).received());
        long packetIns = osken.logLines(l -> l.contains("l2: ")).size() - before;
        assertTrue(packetIns <= 6, () -> packetIns + " packet-ins for the second pingall\n" + osken.logTail(20));
        assertEquals(List.of(), osken.logLines(l -> l.contains("l2-error:") || l.contains("Traceback")),
                () -> osken.logTail(40));
    }
}
