package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Topology#validate()}: one test per problem, each checking the whole message, and the defaults it fills
 * in. Problems that only JSON can have (unknown fields, wrong types, bad syntax) are in {@code TopologyFilesTest}.
 */
class ValidationTest {

    /** s1 with h1 on port 1 and h2 on port 2, to break one piece at a time. */
    private static TopologyBuilder pair() {
        return Topology.builder("t").addSwitch("s1").addHost("h1").addHost("h2")
                .addLink("h1", "s1").addLink("h2", "s1");
    }

    private static String error(Topology t) {
        return assertThrows(TopologyException.class, t::validate).getMessage();
    }

    private static Topology withHost(Host h) {
        return Topology.builder("t").addSwitch("s1").addHost("h1").addHost(h).addLink("h1", "s1")
                .addLink(h.name(), "s1").build();
    }

    private static Topology withSwitch(Switch s) {
        return Topology.builder("t").addSwitch(s).addHost("h1").addLink("h1", s.name()).build();
    }

    private static Topology withLink(Link l) {
        return pair().addLink(l).build();
    }

    // ---------------------------------------------------------------- filled in

    @Test
    void validate_fillsDpidsPortsAndIpsAsMininetWould() {
        Topology t = pair().build();
        assertEquals(null, t.switches().get(0).dpid());
        Topology v = t.validate();
        assertEquals(1L, v.switches().get(0).dpid());
        assertEquals(List.of(new Link("h1", 0, "s1", 1), new Link("h2", 0, "s1", 2)), v.links());
        assertEquals(List.of("10.0.0.1/8", "10.0.0.2/8"), v.hosts().stream().map(Host::ip).toList());
    }

    @Test
    void validate_ofAValidTopology_returnsItUnchanged() {
        Topology v = pair().addSwitch(new Switch("core", 7L, List.of(OpenFlowVersion.OF13), FailMode.STANDALONE,
                List.of("tcp:127.0.0.1:6653"), 6654)).addHost(new Host("h3", "10.1.0.1/16", "02:00:00:00:00:01",
                "10.1.0.254")).addLink("core", "s1").addLink(new Link("h3", 0, "core", 9, false, 1.5, 3, 10.0))
                .build().validate();
        assertEquals(v, v.validate());
    }

    @Test
    void validate_writesAddressesCanonically() {
        Topology v = withHost(new Host("h2", "10.0.0.9", "0A:0B:0C:0D:0E:0F", null)).validate();
        Host h2 = (Host) v.node("h2").orElseThrow();
        assertEquals("10.0.0.9/8", h2.ip());
        assertEquals("10.0.0.9", h2.ipAddress());
        assertEquals(8, h2.prefixLength());
        assertEquals("0a:0b:0c:0d:0e:0f", h2.mac());
    }

    @Test
    void defaultIp_countsEveryHostInNaturalOrderEvenThoseWithAnIp() {
        // As Mininet.addHost(): nextIP goes up for every host, given an ip or not.
        Topology v = Topology.builder("t").addSwitch("s1").addHost(new Host("h1", "192.168.0.1/24", null, null))
                .addHost("h10").addHost("h2").build().validate();
        assertEquals("10.0.0.3/8", ((Host) v.node("h10").orElseThrow()).ip());
        assertEquals("10.0.0.2/8", ((Host) v.node("h2").orElseThrow()).ip());
    }

    @Test
    void leftOutPorts_countThePortsANodeHasSoFarAsTopoAddPortDoes() {
        // s1 already has port 7, so the next left-out port on it is 1 + 1 = 2, not 8.
        Topology v = Topology.builder("t").addSwitch("s1").addSwitch("s2").addHost("h1")
                .addLink("h1", 0, "s1", 7).addLink("s1", "s2").addLink("s2", "s1").build().validate();
        assertEquals(List.of(new Link("h1", 0, "s1", 7), new Link("s1", 2, "s2", 1), new Link("s2", 2, "s1", 3)),
                v.links());
    }

    @Test
    void hostToHostLinks_andParallelLinks_areAllowedAsInMininet() {
        Topology v = Topology.builder("t").addHost("h1").addHost("h2").addLink("h1", "h2").addLink("h1", "h2")
                .build().validate();
        assertEquals(List.of(new Link("h1", 0, "h2", 0), new Link("h1", 1, "h2", 1)), v.links());
    }

    // ---------------------------------------------------------------- topology

    @Test
    void missingName_isRejected() {
        assertEquals("topology: missing \"name\"", error(pair().build().withName(null)));
        assertEquals("topology \" \": missing \"name\"", error(pair().build().withName(" ")));
    }

    @Test
    void noNodes_isRejected() {
        assertEquals("topology \"t\": has no switches and no hosts", error(Topology.builder("t").build()));
    }

    @Test
    void tooManyNodes_isRejected() {
        TopologyBuilder b = Topology.builder("big");
        for (int i = 1; i <= 10_001; i++) {
            b.addHost("h" + i);
        }
        assertEquals("topology \"big\": has 10001 nodes; the lab runs at most 10000", error(b.build()));
    }

    // ---------------------------------------------------------------- names

    @Test
    void missingNodeName_isNamedByItsPlace() {
        assertEquals("topology \"t\": host #2: missing \"name\"",
                error(new Topology("t", null, List.of(), List.of(new Host("h1"), new Host(null)), List.of())));
        assertEquals("topology \"t\": switch #1: missing \"name\"",
                error(new Topology("t", null, List.of(new Switch("")), List.of(), List.of())));
    }

    @Test
    void badNodeName_isRejected() {
        String rule = ": a node name is a letter followed by letters, digits or '_', at most 32 in all (it starts "
                + "interface names such as s1-eth1)";
        assertEquals("topology \"t\": host \"h-1\": bad name \"h-1\"" + rule, error(withHost(new Host("h-1"))));
        assertEquals("topology \"t\": host \"1h\": bad name \"1h\"" + rule, error(withHost(new Host("1h"))));
        String long33 = "h" + "1".repeat(32);
        assertEquals("topology \"t\": host \"" + long33 + "\": bad name \"" + long33 + "\"" + rule,
                error(withHost(new Host(long33))));
    }

    @Test
    void duplicateNames_areRejectedAcrossSwitchesAndHosts() {
        assertEquals("topology \"t\": host \"s1\": another switch is also named \"s1\"",
                error(withHost(new Host("s1"))));
        assertEquals("topology \"t\": host \"h1\": another host is also named \"h1\"",
                error(withHost(new Host("h1"))));
        assertEquals("topology \"t\": switch \"s1\": another switch is also named \"s1\"",
                error(pair().addSwitch("s1").build()));
    }

    // ---------------------------------------------------------------- switches

    @Test
    void switchNameWithoutNumber_needsADpid() {
        assertEquals("topology \"t\": switch \"core\": no \"dpid\", and none can be derived from the name: "
                + "Mininet's Switch.defaultDpid() takes the name's first number (s23 gets 0x17), and \"core\" has "
                + "none; give a \"dpid\" or rename the switch", error(withSwitch(new Switch("core"))));
        assertEquals(0x17L, withSwitch(new Switch("core").withDpid(0x17L)).validate().switches().get(0).dpid());
    }

    @Test
    void switchNameWithAHugeNumber_needsADpid() {
        String name = "s" + "9".repeat(25);
        assertEquals("topology \"t\": switch \"" + name + "\": no \"dpid\", and none can be derived from the name: "
                + "Mininet's Switch.defaultDpid() takes the name's first number (s23 gets 0x17), and \"" + name
                + "\" has a number too big for 64 bits; give a \"dpid\" or rename the switch",
                error(withSwitch(new Switch(name))));
    }

    @Test
    void zeroDpid_isRejected() {
        assertEquals("topology \"t\": switch \"s0\": dpid 0000000000000000 is all zeros, which OVS refuses "
                + "(other_config:datapath-id); the name's number is 0, so give a \"dpid\"",
                error(withSwitch(new Switch("s0"))));
        assertEquals("topology \"t\": switch \"s1\": dpid 0000000000000000 is all zeros, which OVS refuses "
                + "(other_config:datapath-id); use another dpid", error(withSwitch(new Switch("s1").withDpid(0L))));
    }

    @Test
    void duplicateDpids_areRejected() {
        assertEquals("topology \"t\": switch \"s01\": dpid 0000000000000001 is also the dpid of switch \"s1\" "
                + "(derived from the name, as Mininet's Switch.defaultDpid())",
                error(pair().addSwitch("s01").build()));
        assertEquals("topology \"t\": switch \"s2\": dpid 0000000000000001 is also the dpid of switch \"s1\"",
                error(pair().addSwitch(new Switch("s2").withDpid(1L)).build()));
    }

    @Test
    void largestDpid_isAccepted() {
        Switch s = withSwitch(new Switch("s1").withDpid(-1L)).validate().switches().get(0);
        assertEquals("ffffffffffffffff", s.dpidHex());
    }

    @Test
    void emptyOrRepeatedProtocols_areRejected() {
        assertEquals("topology \"t\": switch \"s1\": \"protocols\" is empty; leave it out for all of OpenFlow10, "
                + "OpenFlow13, OpenFlow14, OpenFlow15",
                error(withSwitch(new Switch("s1", null, List.of(), null, null, null))));
        assertEquals("topology \"t\": switch \"s1\": \"protocols\" lists OpenFlow13 twice",
                error(withSwitch(new Switch("s1", null, List.of(OpenFlowVersion.OF13, OpenFlowVersion.OF13), null,
                        null, null))));
    }

    private static Switch controlledBy(String... targets) {
        return new Switch("s1", null, null, FailMode.STANDALONE, List.of(targets), null);
    }

    @Test
    void controllers_mustBeTcpIpPort() {
        assertEquals(List.of("tcp:127.0.0.1:6653", "tcp:10.0.0.254"),
                withSwitch(controlledBy("tcp:127.0.0.1:6653", "tcp:10.0.0.254")).validate().switches().get(0)
                        .controllers());
        assertEquals("topology \"t\": switch \"s1\": bad controller \"ptcp:6653\": expected tcp:IP:PORT, e.g. "
                + "tcp:127.0.0.1:6653", error(withSwitch(controlledBy("ptcp:6653"))));
        assertEquals("topology \"t\": switch \"s1\": bad controller \"tcp:localhost:6653\": bad IP address "
                + "\"localhost\": expected four numbers separated by dots, e.g. 10.0.0.1",
                error(withSwitch(controlledBy("tcp:localhost:6653"))));
        assertEquals("topology \"t\": switch \"s1\": bad controller \"tcp:127.0.0.1:70000\": port 70000 is not a TCP "
                + "port (1 to 65535)", error(withSwitch(controlledBy("tcp:127.0.0.1:70000"))));
        assertEquals("topology \"t\": switch \"s1\": \"controllers\" lists tcp:127.0.0.1:6653 twice",
                error(withSwitch(controlledBy("tcp:127.0.0.1:6653", "tcp:127.0.0.1:6653"))));
    }

    @Test
    void listenPorts_mustBeTcpPortsOfTheirOwn() {
        assertEquals("topology \"t\": switch \"s1\": listenPort 0 is not a TCP port (1 to 65535)",
                error(withSwitch(new Switch("s1").withListenPort(0))));
        assertEquals("topology \"t\": switch \"s1\": listenPort 65536 is not a TCP port (1 to 65535)",
                error(withSwitch(new Switch("s1").withListenPort(65536))));
        assertEquals("topology \"t\": switch \"s2\": listenPort 6654 is also the listenPort of switch \"s1\"",
                error(Topology.builder("t").addSwitch(new Switch("s1").withListenPort(6654))
                        .addSwitch(new Switch("s2").withListenPort(6654)).build()));
    }

    // ---------------------------------------------------------------- hosts

    private static String ipError(String ip) {
        return error(withHost(new Host("h2", ip, null, null)));
    }

    @Test
    void malformedIps_areRejected() {
        assertEquals("topology \"t\": host \"h2\": bad IP \"10.0.0\": expected four numbers separated by dots, e.g. "
                + "10.0.0.1", ipError("10.0.0"));
        assertEquals("topology \"t\": host \"h2\": bad IP \"10.0.0.300/8\": 300 is more than 255",
                ipError("10.0.0.300/8"));
        assertEquals("topology \"t\": host \"h2\": bad IP \"10.0.0.01\": \"01\" is not a number from 0 to 255",
                ipError("10.0.0.01"));
        assertEquals("topology \"t\": host \"h2\": bad IP \"10.0.0.2/33\": the prefix length must be a number from 1 "
                + "to 32", ipError("10.0.0.2/33"));
        assertEquals("topology \"t\": host \"h2\": bad IP \"10.0.0.2/\": the prefix length must be a number from 1 "
                + "to 32", ipError("10.0.0.2/"));
        assertEquals("topology \"t\": host \"h2\": bad IP \"10.0.0.2/8/8\": the prefix length must be a number from "
                + "1 to 32", ipError("10.0.0.2/8/8"));
    }

    @Test
    void unusableIps_areRejected() {
        assertEquals("topology \"t\": host \"h2\": IP 127.0.0.2/8 is a loopback address", ipError("127.0.0.2/8"));
        assertEquals("topology \"t\": host \"h2\": IP 224.0.0.5/8 is a multicast address", ipError("224.0.0.5"));
        assertEquals("topology \"t\": host \"h2\": IP 255.255.255.255/8 is reserved (240.0.0.0/4) or the broadcast "
                + "address", ipError("255.255.255.255"));
        assertEquals("topology \"t\": host \"h2\": IP 0.0.0.2/8 is in 0.0.0.0/8 (\"this network\")",
                ipError("0.0.0.2"));
        assertEquals("topology \"t\": host \"h2\": IP 10.0.0.0/24 is the network address of its subnet",
                ipError("10.0.0.0/24"));
        assertEquals("topology \"t\": host \"h2\": IP 10.0.0.255/24 is the broadcast address of its subnet",
                ipError("10.0.0.255/24"));
        // /31 and /32 have no network or broadcast address.
        withHost(new Host("h2", "10.0.0.0/31", null, null)).validate();
        withHost(new Host("h2", "10.0.0.255/32", null, null)).validate();
    }

    @Test
    void duplicateIps_areRejected() {
        assertEquals("topology \"t\": host \"h2\": IP 10.0.0.1 is also the IP of host \"h1\" (a host without \"ip\" "
                + "gets 10.0.0.N/8, N being its place in the natural order of host names, as in Mininet's "
                + "buildFromTopo(); host \"h1\" has no \"ip\")", ipError("10.0.0.1/24"));
        assertEquals("topology \"t\": host \"h2\": IP 10.0.0.7 is also the IP of host \"h1\"",
                error(Topology.builder("t").addHost(new Host("h1", "10.0.0.7/8", null, null))
                        .addHost(new Host("h2", "10.0.0.7/16", null, null)).build()));
        assertEquals("topology \"t\": host \"h2\": IP 10.0.0.1 is also the IP of host \"h9\" (a host without \"ip\" "
                + "gets 10.0.0.N/8, N being its place in the natural order of host names, as in Mininet's "
                + "buildFromTopo(); host \"h2\" has no \"ip\")",
                error(Topology.builder("t").addHost(new Host("h9", "10.0.0.1/8", null, null)).addHost("h2")
                        .build()));
    }

    private static String macError(String mac) {
        return error(withHost(new Host("h2", null, mac, null)));
    }

    @Test
    void badMacs_areRejected() {
        assertEquals("topology \"t\": host \"h2\": bad MAC \"00:00:00:00:01\": expected six hex bytes separated by "
                + "colons, e.g. 00:00:00:00:00:01", macError("00:00:00:00:01"));
        assertEquals("topology \"t\": host \"h2\": bad MAC \"00:00:00:00:00:1\": \"1\" is not two hex digits",
                macError("00:00:00:00:00:1"));
        assertEquals("topology \"t\": host \"h2\": bad MAC \"00-00-00-00-00-01\": expected six hex bytes separated "
                + "by colons, e.g. 00:00:00:00:00:01", macError("00-00-00-00-00-01"));
        assertEquals("topology \"t\": host \"h2\": bad MAC \"00:00:00:00:00:0g\": \"0g\" is not two hex digits",
                macError("00:00:00:00:00:0g"));
        assertEquals("topology \"t\": host \"h2\": MAC 00:00:00:00:00:00 is all zeros", macError("00:00:00:00:00:00"));
        assertEquals("topology \"t\": host \"h2\": MAC 01:00:5e:00:00:01 is a multicast address (its first byte is "
                + "odd), which no host can have", macError("01:00:5E:00:00:01"));
        assertEquals("topology \"t\": host \"h2\": MAC ff:ff:ff:ff:ff:ff is a multicast address (its first byte is "
                + "odd), which no host can have", macError("ff:ff:ff:ff:ff:ff"));
    }

    @Test
    void duplicateMacs_areRejectedWhateverTheirCase() {
        assertEquals("topology \"t\": host \"h2\": MAC 00:00:00:00:00:0a is also the MAC of host \"h1\"",
                error(Topology.builder("t").addHost(new Host("h1", null, "00:00:00:00:00:0a", null))
                        .addHost(new Host("h2", null, "00:00:00:00:00:0A", null)).build()));
    }

    private static String gatewayError(String ip, String gateway) {
        return error(withHost(new Host("h2", ip, null, gateway)));
    }

    @Test
    void gateways_mustBeOtherAddressesInTheSubnet() {
        assertEquals("10.0.0.254", ((Host) withHost(new Host("h2", null, null, "10.0.0.254")).validate()
                .node("h2").orElseThrow()).gateway());
        assertEquals("topology \"t\": host \"h2\": bad gateway \"10.0.0.254/8\": \"254/8\" is not a number from 0 to "
                + "255", gatewayError(null, "10.0.0.254/8"));
        assertEquals("topology \"t\": host \"h2\": gateway 10.1.0.1 is outside the host's subnet 10.0.0.0/16",
                gatewayError("10.0.0.2/16", "10.1.0.1"));
        assertEquals("topology \"t\": host \"h2\": gateway 10.0.0.2 is the host's own address",
                gatewayError("10.0.0.2/24", "10.0.0.2"));
        assertEquals("topology \"t\": host \"h2\": gateway 10.0.0.255 is the broadcast address of its subnet",
                gatewayError("10.0.0.2/24", "10.0.0.255"));
    }

    // ---------------------------------------------------------------- links

    @Test
    void linkToAnUnknownNode_namesTheLinkAndTheNode() {
        assertEquals("topology \"t\": link 3 (s1:2 - h9:0): unknown node \"h9\" in \"node2\"",
                error(withLink(new Link("s1", 2, "h9", 0))));
        assertEquals("topology \"t\": link 3 (s1 - h9): unknown node \"h9\" in \"node2\"", error(withLink(new Link("s1", "h9"))));
    }

    @Test
    void linkWithoutAnEnd_isRejected() {
        assertEquals("topology \"t\": link 3 (? - s1): missing \"node1\"", error(withLink(new Link(null, "s1"))));
        assertEquals("topology \"t\": link 3 (h1 - ?): missing \"node2\"", error(withLink(new Link("h1", null))));
    }

    @Test
    void linkFromANodeToItself_isRejected() {
        assertEquals("topology \"t\": link 3 (s1:3 - s1:4): links switch \"s1\" to itself",
                error(withLink(new Link("s1", 3, "s1", 4))));
    }

    @Test
    void switchPortZero_isRejected() {
        assertEquals("topology \"t\": link 3 (h1:1 - s1:0): port 0 (\"port2\") on switch \"s1\" is out of range; switch ports "
                + "start at 1 (OpenFlow port numbers; Mininet lists the switch's lo as port 0)",
                error(withLink(new Link("h1", 1, "s1", 0))));
    }

    @Test
    void portsOutOfRange_areRejected() {
        assertEquals("topology \"t\": link 3 (h1:1 - s1:65280): port 65280 (\"port2\") on switch \"s1\" is out of range; "
                + "switch ports are 1 to 65279 (OpenFlow 1.0's OFPP_MAX is 0xff00)",
                error(withLink(new Link("h1", 1, "s1", 65280))));
        assertEquals("topology \"t\": link 3 (h1:-1 - s1:3): port -1 (\"port1\") on host \"h1\" is out of range; host ports are "
                + "0 to 65279", error(withLink(new Link("h1", -1, "s1", 3))));
        withLink(new Link("h1", 65279, "s1", 65279)).validate();
    }

    @Test
    void twoLinksOnOnePort_areRejected() {
        assertEquals("topology \"t\": link 3 (h1:1 - s1:2): port 2 (\"port2\") on switch \"s1\" is already used by "
                + "link 2 "
                + "(h2:0 - s1:2)", error(withLink(new Link("h1", 1, "s1", 2))));
    }

    @Test
    void twoLinksOnOnePort_whenThePortWasLeftOut_explainsMininetsNumbering() {
        Topology t = Topology.builder("t").addSwitch("s1").addHost("h1").addHost("h2")
                .addLink("h1", 0, "s1", 2).addLink("h2", "s1").build();
        assertEquals("topology \"t\": link 2 (h2 - s1): port 2 on switch \"s1\" is already used by link 1 "
                + "(h1:0 - s1:2) (\"port2\" was left out, so it was numbered as Mininet's Topo.addPort() does: the "
                + "node's ports so far, plus 1)", error(t));
    }

    private static Link shaped(double delayMs, double lossPercent, Double bandwidthMbps) {
        return new Link("h1", 1, "s1", 3, null, delayMs, lossPercent, bandwidthMbps);
    }

    @Test
    void delayAndLossAndBandwidth_areKeptWhenValid() {
        Link l = withLink(shaped(2.5, 100, 10.0)).validate().links().get(2);
        assertEquals(2.5, l.delayMs());
        assertEquals(100, l.lossPercent());
        assertEquals(10.0, l.bandwidthMbps());
    }

    @Test
    void negativeDelay_isRejected() {
        assertEquals("topology \"t\": link 3 (h1:1 - s1:3): delayMs is -5; a delay is a number of milliseconds, 0 or "
                + "more", error(withLink(shaped(-5, 0, null))));
        assertEquals("topology \"t\": link 3 (h1:1 - s1:3): delayMs is NaN; a delay is a number of milliseconds, 0 "
                + "or more", error(withLink(shaped(Double.NaN, 0, null))));
        assertEquals("topology \"t\": link 3 (h1:1 - s1:3): delayMs is Infinity; a delay is a number of "
                + "milliseconds, 0 or more", error(withLink(shaped(Double.POSITIVE_INFINITY, 0, null))));
    }

    @Test
    void lossOutside0To100_isRejected() {
        assertEquals("topology \"t\": link 3 (h1:1 - s1:3): lossPercent is 100.5; a loss is a percentage from 0 to "
                + "100", error(withLink(shaped(0, 100.5, null))));
        assertEquals("topology \"t\": link 3 (h1:1 - s1:3): lossPercent is -1; a loss is a percentage from 0 to 100",
                error(withLink(shaped(0, -1, null))));
    }

    @Test
    void bandwidthOfZero_isRejected() {
        assertEquals("topology \"t\": link 3 (h1:1 - s1:3): bandwidthMbps is 0; a bandwidth is a number of Mbit/s "
                + "above 0", error(withLink(shaped(0, 0, 0.0))));
    }

    @Test
    void theFirstProblemInListOrder_isTheOneReported() {
        List<Link> links = new ArrayList<>(pair().build().links());
        links.add(new Link("h1", "h9"));
        Topology t = new Topology("t", null, List.of(new Switch("s1")),
                List.of(new Host("h1"), new Host("h2", null, "bad", null)), links);
        assertEquals("topology \"t\": host \"h2\": bad MAC \"bad\": expected six hex bytes separated by colons, e.g. "
                + "00:00:00:00:00:01", error(t));
    }
}
