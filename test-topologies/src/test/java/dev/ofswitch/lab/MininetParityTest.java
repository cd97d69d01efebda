package dev.ofswitch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.cli.LabMain;
import dev.ofswitch.lab.cli.LabShell;
import dev.ofswitch.lab.junit.LabTopology;
import dev.ofswitch.lab.topo.MininetFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a Mininet user sees, through the lab's own command interpreter ({@link LabShell}) and command line
 * ({@link LabMain}) on running labs with the embedded controller: the texts are Mininet 2.3's, derived from its
 * source ({@code mininet/cli.py} {@code do_nodes}, {@code do_net}, {@code do_links}, {@code do_pingall},
 * {@code do_link}; {@code mininet/net.py} {@code buildFromTopo}, {@code start}, {@code stop}, {@code ping},
 * {@code pingAll}; {@code mininet/topolib.py} {@code TreeTopo}; {@code mininet/util.py}
 * {@code dumpNodeConnections}). {@code MininetFormatTest} checks the printers on hand-built topologies; this test
 * checks that a running lab, its pings included, prints the same.
 */
class MininetParityTest {
    /** {@code pingall} on four hosts that all reach each other. */
    private static final String PINGALL_4_HOSTS = """
                *** Ping: testing ping reachability
                h1 -> h2 h3 h4\s
                h2 -> h1 h3 h4\s
                h3 -> h1 h2 h4\s
                h4 -> h1 h2 h3\s
                *** Results: 0% dropped (12/12 received)
                """;

    /** Runs console commands and returns what they printed. */
    private static String shell(Lab lab, String... commands) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        LabShell sh = new LabShell(lab, out, MininetFormat.DEFAULT_CONTROLLERS, lab.runDir());
        for (String c : commands) {
            sh.run(c);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    @LabTopology(value = "single,3", unixctl = false)
    void single3_pingall_isSixOfSix(Lab lab) {
        assertEquals("""
                *** Ping: testing ping reachability
                h1 -> h2 h3\s
                h2 -> h1 h3\s
                h3 -> h1 h2\s
                *** Results: 0% dropped (6/6 received)
                """, shell(lab, "pingall"));
    }

    @Test
    @LabTopology(value = "linear,4", unixctl = false)
    void linear4_pingall_isTwelveOfTwelve(Lab lab) {
        assertEquals(PINGALL_4_HOSTS, shell(lab, "pingall"));
    }

    /**
     * {@code mn --topo tree,2,2}: TreeTopo adds s1, then s2 with h1 h2, links s1-s2 (so s2's uplink is its port 3),
     * then s3 with h3 h4 and s1-s3. {@code nodes} sorts plainly; {@code net} goes hosts, switches, controllers, each
     * interface by port ({@code lo:} first, with no peer); {@code links} follows {@code topo.links(sort=True)} and
     * {@code output(link, link.status(), '\n')} puts a space before each newline.
     */
    @Test
    @LabTopology(value = "tree,2,2", unixctl = false)
    void tree22_nodesNetAndLinks_areMininets(Lab lab) {
        assertEquals("""
                available nodes are:\s
                c0 h1 h2 h3 h4 s1 s2 s3
                """, shell(lab, "nodes"));
        assertEquals("""
                h1 h1-eth0:s2-eth1
                h2 h2-eth0:s2-eth2
                h3 h3-eth0:s3-eth1
                h4 h4-eth0:s3-eth2
                s1 lo:  s1-eth1:s2-eth3 s1-eth2:s3-eth3
                s2 lo:  s2-eth1:h1-eth0 s2-eth2:h2-eth0 s2-eth3:s1-eth1
                s3 lo:  s3-eth1:h3-eth0 s3-eth2:h4-eth0 s3-eth3:s1-eth2
                c0
                """, shell(lab, "net"));
        assertEquals("""
                s1-eth1<->s2-eth3 (OK OK)\s
                s1-eth2<->s3-eth3 (OK OK)\s
                s2-eth1<->h1-eth0 (OK OK)\s
                s2-eth2<->h2-eth0 (OK OK)\s
                s3-eth1<->h3-eth0 (OK OK)\s
                s3-eth2<->h4-eth0 (OK OK)\s
                """, shell(lab, "links"));
        assertEquals(PINGALL_4_HOSTS, shell(lab, "pingall"));
    }

    /**
     * {@code link s2 s3 down} cuts linear,4 in two (h1 h2 | h3 h4); Mininet's {@code link} prints nothing, and
     * {@code links} still says {@code (OK OK)} ({@code Intf.status()} only checks that the interface exists).
     * {@code link s2 s3 up} restores every pair.
     */
    @Test
    @LabTopology(value = "linear,4", unixctl = false)
    void linkDown_splitsTheNetwork_andLinkUpRestoresIt(Lab lab) {
        assertEquals("", shell(lab, "link s2 s3 down"));
        assertEquals("""
                *** Ping: testing ping reachability
                h1 -> h2 X X\s
                h2 -> h1 X X\s
                h3 -> X X h4\s
                h4 -> X X h3\s
                *** Results: 66% dropped (4/12 received)
                """, shell(lab, "pingall"));
        assertTrue(shell(lab, "links").contains("s3-eth2<->s2-eth3 (OK OK) \n"));
        assertEquals("", shell(lab, "link s2 s3 up"));
        assertEquals(PINGALL_4_HOSTS, shell(lab, "pingall 2"));
    }

    /**
     * {@code mn --topo linear,4 --test pingall}, run in this process: Mininet's start-up lines (links in
     * {@code topo.links(sort=True)} order), the ping test, the shutdown lines, and exit status 0. Only the time on
     * the last line differs from run to run.
     */
    @Test
    void commandLine_testPingall_linear4() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int rc;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            rc = new CommandLine(new LabMain()).execute("--topo", "linear,4", "--test", "pingall", "--no-unixctl");
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        String last = out.substring(out.lastIndexOf("completed in "));
        assertTrue(last.matches("completed in \\d+\\.\\d{3} seconds\n"), last);
        assertEquals("""
                *** Creating network
                *** Adding controller
                *** Adding hosts:
                h1 h2 h3 h4\s
                *** Adding switches:
                s1 s2 s3 s4\s
                *** Adding links:
                (h1, s1) (h2, s2) (h3, s3) (h4, s4) (s2, s1) (s3, s2) (s4, s3)\s
                *** Configuring hosts
                h1 h2 h3 h4\s
                *** Starting controller
                c0\s
                *** Starting 4 switches
                s1 s2 s3 s4 ...
                *** Waiting for switches to connect
                s1 s2 s3 s4\s
                *** Ping: testing ping reachability
                h1 -> h2 h3 h4\s
                h2 -> h1 h3 h4\s
                h3 -> h1 h2 h4\s
                h4 -> h1 h2 h3\s
                *** Results: 0% dropped (12/12 received)
                *** Stopping 1 controllers
                c0\s
                *** Stopping 7 links
                .......
                *** Stopping 4 switches
                s1 s2 s3 s4\s
                *** Stopping 4 hosts
                h1 h2 h3 h4\s
                *** Done
                """, out.substring(0, out.length() - last.length()));
    }
}
