package dev.ofswitch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.topo.Topology;
import dev.ofswitch.lab.topo.TopologyException;
import dev.ofswitch.lab.topo.TopologyFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flows in a topology file: ovs-ofctl lines per switch, checked at load (a bad one names file, switch and line) and
 * installed before the switch starts, so a lab runs without any controller.
 */
class TopologyFlowsTest {
    private static String topology(String... flows) {
        StringBuilder f = new StringBuilder();
        for (String flow : flows) {
            f.append(f.length() == 0 ? "" : ", ").append('"').append(flow).append('"');
        }
        return """
                { "name": "flows",
                  "switches": [ { "name": "s1", "controllers": ["tcp:127.0.0.1:1"], "flows": [%s] } ],
                  "hosts": [ { "name": "h1", "ip": "10.0.0.1/8" }, { "name": "h2", "ip": "10.0.0.2/8" },
                             { "name": "h3", "ip": "10.0.0.3/8" } ],
                  "links": [ { "node1": "h1", "node2": "s1" }, { "node1": "h2", "node2": "s1" },
                             { "node1": "h3", "node2": "s1" } ] }
                """.formatted(f);
    }

    @Test
    void flowsOfTheFile_areInstalledAtStart_andForwardWithoutAController() throws Exception {
        Topology t = TopologyFiles.parse(topology(
                "priority=10,in_port=s1-eth1,actions=output:s1-eth2",
                "priority=10,in_port=s1-eth2,actions=output:1",
                "priority=0,actions=drop"), "flows.json");
        assertEquals(3, t.switches().get(0).flows().size());
        try (Lab lab = Lab.start(t, new Lab.Options().unixctl(false))) {
            assertEquals(3, lab.switchNode("s1").flowTables().all().size());
            assertEquals(2, lab.pingAll(List.of("h1", "h2"), 2000).received(), "h1 and h2 through the file's flows");
            assertEquals(0, lab.pingAll(List.of("h1", "h3"), 500).received(), "h3 has no flow");
        }
    }

    @Test
    void aBadFlow_namesFileSwitchAndLine() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFiles.parse(
                topology("priority=10,actions=NORMAL", "priority=5,ip,frobnicate=1,actions=drop"), "bad.json"));
        assertTrue(e.getMessage().startsWith("bad.json: switch \"s1\""), e.getMessage());
        assertTrue(e.getMessage().contains("\"flows\" line 2"), e.getMessage());
        assertTrue(e.getMessage().contains("frobnicate"), e.getMessage());
    }

    @Test
    void aFlowNamingAPortTheSwitchDoesNotHave_isRefusedAtLoad() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFiles.parse(
                topology("in_port=s1-eth9,actions=drop"), "ports.json"));
        assertTrue(e.getMessage().contains("s1-eth9"), e.getMessage());
    }
}
