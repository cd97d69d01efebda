package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Lookups, orders and copies of {@link Topology} and its records. */
class TopologyTest {
    private final Topology tree = Topologies.tree(2, 2);

    @Test
    void node_findsSwitchesAndHostsByName() {
        assertEquals(Optional.of(new Host("h3", "10.0.0.3/8", null, null)), tree.node("h3"));
        assertTrue(tree.node("s2").orElseThrow() instanceof Switch);
        assertEquals(Optional.empty(), tree.node("c0"));
    }

    @Test
    void linksOf_listsANodesLinksInLinkOrder() {
        assertEquals(List.of(new Link("s2", 1, "h1", 0), new Link("s2", 2, "h2", 0), new Link("s1", 1, "s2", 3)),
                tree.linksOf("s2"));
        assertEquals(List.of(), Topology.builder("t").addHost("h1").build().validate().linksOf("h1"));
    }

    @Test
    void portFacing_givesThePortTowardsAPeer() {
        assertEquals(OptionalInt.of(3), tree.portFacing("s2", "s1"));
        assertEquals(OptionalInt.of(1), tree.portFacing("s1", "s2"));
        assertEquals(OptionalInt.of(0), tree.portFacing("h4", "s3"));
        assertEquals(OptionalInt.empty(), tree.portFacing("s2", "s3"));
    }

    @Test
    void portFacing_withParallelLinks_givesTheLowestPort() {
        Topology t = Topology.builder("t").addSwitch("s1").addSwitch("s2").addLink("s1", 5, "s2", 1)
                .addLink("s1", 2, "s2", 2).build().validate();
        assertEquals(OptionalInt.of(2), t.portFacing("s1", "s2"));
    }

    @Test
    void linkAt_givesTheLinkOnAPort() {
        assertEquals(Optional.of(new Link("s1", 2, "s3", 3)), tree.linkAt("s3", 3));
        assertEquals(Optional.empty(), tree.linkAt("s3", 4));
    }

    @Test
    void linkEnds_answerForEitherEnd() {
        Link l = new Link("s1", 2, "s3", 3);
        assertEquals(3, l.portOn("s3"));
        assertEquals("s1", l.peerOf("s3"));
        assertThrows(IllegalArgumentException.class, () -> l.portOn("h1"));
        assertThrows(IllegalArgumentException.class, () -> l.peerOf("h1"));
    }

    @Test
    void netOrders_areNaturalAndKeepCreationOrderForTies() {
        Topology t = Topology.builder("t").addSwitch("s10").addSwitch("s2").addHost("h10").addHost("h9")
                .addLink("h10", "s10").addLink("s2", "s10").addLink("h9", "s2").addLink("s2", "s10").build().validate();
        assertEquals(List.of("s2", "s10"), t.switchesInNetOrder().stream().map(Switch::name).toList());
        assertEquals(List.of("h9", "h10"), t.hostsInNetOrder().stream().map(Host::name).toList());
        assertEquals(List.of(new Link("h9", 0, "s2", 2), new Link("h10", 0, "s10", 1), new Link("s2", 1, "s10", 2),
                new Link("s2", 3, "s10", 3)), t.linksInNetOrder());
    }

    @Test
    void defaultDpid_isTheFirstNumberInTheName() {
        assertEquals(OptionalLong.of(1), Switch.defaultDpid("s1"));
        assertEquals(OptionalLong.of(12), Switch.defaultDpid("s12"));
        assertEquals(OptionalLong.of(3), Switch.defaultDpid("s3x2"));
        assertEquals(OptionalLong.of(7), Switch.defaultDpid("edge007a9"));
        assertEquals(OptionalLong.empty(), Switch.defaultDpid("core"));
        assertEquals(OptionalLong.of(-1), Switch.defaultDpid("s18446744073709551615"));
        assertEquals(OptionalLong.empty(), Switch.defaultDpid("s18446744073709551616"));
    }

    @Test
    void records_fillConstantDefaults() {
        Switch s = new Switch("s1");
        assertEquals(OpenFlowVersion.ALL, s.protocols());
        assertEquals(FailMode.SECURE, s.failMode());
        assertEquals(List.of(), s.controllers());
        assertEquals(true, new Link("h1", "s1").up());
        assertEquals(List.of(), new Topology("t", null, null, null, null).links());
    }

    @Test
    void unvalidatedValues_areNotGuessed() {
        assertThrows(IllegalStateException.class, () -> new Switch("s1").dpidHex());
        assertThrows(IllegalStateException.class, () -> new Host("h1").ipAddress());
    }

    @Test
    void openFlowVersions_haveOvsNamesAndWireVersions() {
        assertEquals(List.of("OpenFlow10", "OpenFlow13", "OpenFlow14", "OpenFlow15"),
                OpenFlowVersion.ALL.stream().map(OpenFlowVersion::ovsName).toList());
        assertEquals(List.of(1, 4, 5, 6), OpenFlowVersion.ALL.stream().map(OpenFlowVersion::wireVersion).toList());
        assertEquals("standalone", FailMode.STANDALONE.ovsName());
    }

    @Test
    void withAutoMacs_keepsGivenMacs_andRejectsAClash() {
        Topology t = Topology.builder("t").addHost(new Host("h1", null, "00:00:00:00:00:09", null)).addHost("h2")
                .build();
        assertEquals(List.of("00:00:00:00:00:09", "00:00:00:00:00:02"),
                t.withAutoMacs().hosts().stream().map(Host::mac).toList());
        Topology clash = Topology.builder("t").addHost("h1").addHost(new Host("h2", null, "00:00:00:00:00:01", null))
                .build();
        assertEquals("topology \"t\": host \"h2\": MAC 00:00:00:00:00:01 is also the MAC of host \"h1\"",
                assertThrows(TopologyException.class, clash::withAutoMacs).getMessage());
    }

    @Test
    void withListenPorts_keepsGivenPorts_andRejectsAClash() {
        Topology t = Topology.builder("t").addSwitch(new Switch("s1").withListenPort(7000)).addSwitch("s2").build();
        assertEquals(List.of(7000, 6655), t.withListenPorts(6654).switches().stream().map(Switch::listenPort)
                .toList());
        Topology clash = Topology.builder("t").addSwitch("s1").addSwitch(new Switch("s2").withListenPort(6654))
                .build();
        assertEquals("topology \"t\": switch \"s2\": listenPort 6654 is also the listenPort of switch \"s1\"",
                assertThrows(TopologyException.class, () -> clash.withListenPorts(6654)).getMessage());
    }

    @Test
    void builder_keepsTheDescriptionAndCreationOrder() {
        Topology t = Topology.builder("t").description("two hosts").addHost("h2").addHost("h1").build();
        assertEquals("two hosts", t.description());
        assertEquals(List.of("h2", "h1"), t.hosts().stream().map(Host::name).toList());
    }
}
