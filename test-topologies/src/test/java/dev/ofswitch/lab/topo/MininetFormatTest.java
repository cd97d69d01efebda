package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link MininetFormat} against the formats in Mininet's source: {@code CLI.do_nodes()}, {@code do_net()},
 * {@code do_links()}, {@code do_intfs()}, {@code do_ports()} in {@code mininet/cli.py};
 * {@code dumpNodeConnections()} and {@code dumpPorts()} in {@code mininet/util.py}; {@code Mininet.ping()} in
 * {@code mininet/net.py}; and {@code output()} in {@code mininet/log.py}, which joins several arguments with
 * spaces (hence the space before the newline in {@code links}). The topologies are built by hand here; the
 * built-ins' listings are in {@code BuiltInTopologiesTest}.
 */
class MininetFormatTest {
    /** s1 with h1 and h2, as Mininet's single,2 (and minimal). */
    private static final Topology PAIR = Topology.builder("pair").addSwitch("s1").addHost("h1").addHost("h2")
            .addLink("h1", "s1").addLink("h2", "s1").build().validate();

    /** Hosts created out of natural order; s2-s1 linked with s2 as node1; a host without links. */
    private static final Topology MIXED = Topology.builder("mixed").addSwitch("s2").addSwitch("s1")
            .addHost("h10").addHost("h2").addHost("h3")
            .addLink("h10", "s2").addLink("h2", "s1").addLink("s2", "s1").build().validate();

    @Test
    void intfName_isNodeDashEthPort() {
        assertEquals("h1-eth0", MininetFormat.intfName("h1", 0));
        assertEquals("s12-eth48", MininetFormat.intfName("s12", 48));
    }

    @Test
    void nodes_sortsPlainlyWithTheController() {
        assertEquals("available nodes are: \nc0 h1 h2 s1\n", MininetFormat.nodes(PAIR));
        // sorted(self.mn) is a plain sort: h10 before h2.
        assertEquals("available nodes are: \nc0 h10 h2 h3 s1 s2\n", MininetFormat.nodes(MIXED));
        assertEquals("available nodes are: \nh1 h2 s1\n", MininetFormat.nodes(PAIR, List.of()));
    }

    @Test
    void net_listsHostsSwitchesThenControllers() {
        assertEquals("""
                h1 h1-eth0:s1-eth1
                h2 h2-eth0:s1-eth2
                s1 lo:  s1-eth1:h1-eth0 s1-eth2:h2-eth0
                c0
                """, MininetFormat.net(PAIR));
    }

    @Test
    void net_usesNaturalOrder_andShowsUnlinkedHostsBare() {
        assertEquals("""
                h2 h2-eth0:s1-eth1
                h3
                h10 h10-eth0:s2-eth1
                s1 lo:  s1-eth1:h2-eth0 s1-eth2:s2-eth2
                s2 lo:  s2-eth1:h10-eth0 s2-eth2:s1-eth2
                c0
                c1
                """, MininetFormat.net(MIXED, List.of("c0", "c1")));
    }

    @Test
    void net_listsEachNodesInterfacesByPortNumber() {
        Topology t = Topology.builder("t").addSwitch("s1").addHost("h1").addHost("h2")
                .addLink("h2", 0, "s1", 9).addLink("h1", 0, "s1", 3).build().validate();
        assertEquals("""
                h1 h1-eth0:s1-eth3
                h2 h2-eth0:s1-eth9
                s1 lo:  s1-eth3:h1-eth0 s1-eth9:h2-eth0
                """, MininetFormat.net(t, List.of()));
    }

    @Test
    void links_printsNode1FirstInNaturalOrderWithATrailingSpace() {
        assertEquals("""
                h1-eth0<->s1-eth1 (OK OK)\s
                h2-eth0<->s1-eth2 (OK OK)\s
                """, MininetFormat.links(PAIR));
        assertEquals("""
                h2-eth0<->s1-eth1 (OK OK)\s
                h10-eth0<->s2-eth1 (OK OK)\s
                s2-eth2<->s1-eth2 (OK OK)\s
                """, MininetFormat.links(MIXED));
    }

    @Test
    void links_showsDownLinksAsOkAsMininetDoes() {
        // Intf.status() says whether the interface exists; `link h1 s1 down` only sets it down.
        Topology t = new Topology("t", null, PAIR.switches(), PAIR.hosts(),
                List.of(PAIR.links().get(0).withUp(false), PAIR.links().get(1))).validate();
        assertEquals(MininetFormat.links(PAIR), MininetFormat.links(t));
        assertEquals(MininetFormat.net(PAIR), MininetFormat.net(t));
    }

    @Test
    void intfs_listsEachNodesInterfacesWithCommas() {
        assertEquals("""
                h1: h1-eth0
                h2: h2-eth0
                s1: lo,s1-eth1,s1-eth2
                c0:\s
                """, MininetFormat.intfs(PAIR));
        assertEquals("""
                h2: h2-eth0
                h3:\s
                h10: h10-eth0
                s1: lo,s1-eth1,s1-eth2
                s2: lo,s2-eth1,s2-eth2
                """, MininetFormat.intfs(MIXED, List.of()));
    }

    @Test
    void ports_mapsEachSwitchInterfaceToItsPortNumber() {
        assertEquals("s1 lo:0 s1-eth1:1 s1-eth2:2 \n", MininetFormat.ports(PAIR));
        assertEquals("s1 lo:0 s1-eth1:1 s1-eth2:2 \ns2 lo:0 s2-eth1:1 s2-eth2:2 \n", MininetFormat.ports(MIXED));
    }

    @Test
    void pingAll_whenEverythingAnswers_reportsNoLoss() {
        assertEquals("""
                *** Ping: testing ping reachability
                h1 -> h2\s
                h2 -> h1\s
                *** Results: 0% dropped (2/2 received)
                """, MininetFormat.pingAll(PAIR, (a, b) -> true));
    }

    @Test
    void pingAll_marksFailuresWithX_andTruncatesThePercentage() {
        Topology t = Topology.builder("trio").addSwitch("s1").addHost("h1").addHost("h2").addHost("h3")
                .addLink("h1", "s1").addLink("h2", "s1").addLink("h3", "s1").build().validate();
        Set<String> answered = Set.of("h1>h2", "h2>h1");
        assertEquals("""
                *** Ping: testing ping reachability
                h1 -> h2 X\s
                h2 -> h1 X\s
                h3 -> X X\s
                *** Results: 66% dropped (2/6 received)
                """, MininetFormat.pingAll(t, (a, b) -> answered.contains(a + ">" + b)));
    }

    @Test
    void pingAll_sendsNothingToAHostWithoutInterfaces() {
        // Mininet.ping(): "if dest.intfs: ... else: sent, received = 0, 0", but still prints X.
        assertEquals("""
                *** Ping: testing ping reachability
                h2 -> X h10\s
                h3 -> h2 h10\s
                h10 -> h2 X\s
                *** Results: 0% dropped (4/4 received)
                """, MininetFormat.pingAll(MIXED, (a, b) -> true));
    }

    @Test
    void ping_ofTwoHosts_isPingpairWithoutTheHeader() {
        assertEquals("""
                h1 -> X
                h2 -> h1\s
                *** Results: 50% dropped (1/2 received)
                """.replace("X\n", "X \n"), MininetFormat.ping(List.of("h1", "h2"), (a, b) -> a.equals("h2")));
    }

    @Test
    void pingResults_truncateLikePythonsPercentI() {
        assertEquals("*** Results: 0% dropped (6/6 received)\n", MininetFormat.pingResults(6, 6));
        assertEquals("*** Results: 33% dropped (2/3 received)\n", MininetFormat.pingResults(2, 3));
        assertEquals("*** Results: 66% dropped (1/3 received)\n", MininetFormat.pingResults(1, 3));
        assertEquals("*** Results: 100% dropped (0/12 received)\n", MininetFormat.pingResults(0, 12));
        assertEquals("*** Results: 0% dropped (999/1000 received)\n", MininetFormat.pingResults(999, 1000));
        assertEquals("*** Warning: No packets sent\n", MininetFormat.pingResults(0, 0));
    }

    @Test
    void ping_ofOneHost_sendsNothing() {
        assertEquals("h1 -> \n*** Warning: No packets sent\n", MininetFormat.ping(List.of("h1"), (a, b) -> true));
    }
}
