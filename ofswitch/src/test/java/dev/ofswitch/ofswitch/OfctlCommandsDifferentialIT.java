package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ofctl} ({@link OfctlMain}) against the real {@code ovs-ofctl} 3.1, both talking to this switch, for the
 * commands beyond add/del/dump-flows: {@code dump-ports [PORT]} (with {@code --names}), {@code packet-out} in both
 * syntaxes, {@code mod-flows} and {@code --strict}, {@code del-flows --strict}, {@code dump-flows FLOW} (table,
 * cookie/mask, out_port, port names). Output must be identical, except the durations and ages that tick between the
 * two runs (normalized). Flow commands run on two switches, one driven by each tool, and their tables must match
 * after every step. Skipped loudly without ovs-ofctl. With {@code -Dofswitch.against=ovs} both tools talk to a real
 * ovs-vswitchd 3.1 instead ({@link LiveSwitch#startOvs}), which shows that bin/ofctl works with OVS too.
 */
class OfctlCommandsDifferentialIT {
    private static final String[] VERSIONS = {"OpenFlow10", "OpenFlow13", "OpenFlow14", "OpenFlow15"};
    private static final String UDP = "50540000000250540000000108004500001d00010000401166cd0a0000010a00000213880035"
            + "0009671c71";

    @TempDir
    Path tmp;

    @BeforeEach
    void requireOvsOfctl() {
        Tools.require("OfctlCommandsDifferentialIT", "ovs-ofctl");
    }

    private static String theirs(String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl"));
        cmd.addAll(List.of(argv));
        Tools.Result r = Tools.run(120, cmd);
        assertEquals(0, r.exitCode(), String.join(" ", cmd) + ": " + r.stderr());
        return r.stdout();
    }

    private static String ours(String... argv) {
        OfctlMainTest.Run r = OfctlMainTest.ofctl(argv);
        assertEquals(0, r.rc(), String.join(" ", argv) + ": " + r.err());
        return r.out();
    }

    /** Durations and ages move between two runs; everything else must not. */
    private static String normalize(String s) {
        return s.replaceAll("duration=[0-9.]+s", "duration=Ns").replaceAll("(idle|hard)_age=[0-9]+", "$1_age=N");
    }

    /** A switch to talk to: this one, or with {@code -Dofswitch.against=ovs} a real ovs-vswitchd (p1..p4). */
    private record Sw(String target, AutoCloseable handle) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            handle.close();
        }
    }

    private Sw start() throws Exception {
        if ("ovs".equals(System.getProperty("ofswitch.against"))) {
            Tools.requireOracle("OfctlCommandsDifferentialIT against ovs-vswitchd");
            LiveSwitch ovs = LiveSwitch.startOvs(Files.createTempDirectory(tmp, "ovs"));
            return new Sw(ovs.target(), ovs);
        }
        OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(3).listen("ptcp:0:127.0.0.1"));
        sw.start();
        return new Sw("tcp:127.0.0.1:" + sw.boundOpenFlowPort(), sw);
    }

    @Test
    void dumpPorts_sameTextAsOvsOfctl() throws Exception {
        try (Sw sw = start()) {
            String t = sw.target();
            // Traffic first, so that the counters are not all zero: out of port 2 and 3, from in_port 1.
            ours("packet-out", t, "1", "output:2", UDP, UDP);
            ours("-O", "OpenFlow13", "packet-out", t, "in_port=p1,packet=" + UDP + ",actions=output:p3");
            int compared = 0;
            for (String v : VERSIONS) {
                for (String[] extra : new String[][] {{}, {"2"}, {"p3"}, {"LOCAL"}}) {
                    for (boolean names : new boolean[] {false, true}) {
                        List<String> argv = new ArrayList<>(List.of("-O", v));
                        if (names) {
                            argv.add("--names");
                        }
                        argv.add("dump-ports");
                        argv.add(t);
                        argv.addAll(List.of(extra));
                        String[] a = argv.toArray(new String[0]);
                        String theirs = theirs(a);
                        assertTrue(theirs.contains("ports"), theirs);
                        assertEquals(normalize(theirs), normalize(ours(a)), String.join(" ", a));
                        compared++;
                    }
                }
            }
            String all = ours("dump-ports", t, "2");
            assertTrue(all.contains("tx pkts=2, bytes=86"), all);
            System.out.printf("dump-ports: %d outputs identical to ovs-ofctl's%n", compared);
        }
    }

    @Test
    void flowCommands_sameTablesAndDumpsAsOvsOfctl() throws Exception {
        Path flows = tmp.resolve("flows.txt");
        Files.writeString(flows, String.join("\n",
                "table=0,priority=100,in_port=p1,ip,actions=ct(table=1,zone=5)",
                "table=0,priority=90,in_port=2,cookie=0x15,actions=output:p1",
                "table=0,priority=80,cookie=0x25,tcp,tp_dst=80,actions=output:3",
                "table=0,priority=80,cookie=0x35,udp,actions=output:p3,output:2",
                "table=1,priority=10,ct_state=+trk+new,ip,actions=ct(commit,zone=5),output:2",
                "table=1,priority=10,ct_state=+trk+est,ip,actions=output:2",
                "table=2,priority=5,reg0=7,actions=drop") + "\n");
        String[][] steps = {
            {"mod-flows", "cookie=0x25/0xff,actions=output:2"},
            {"--strict", "mod-flows", "table=1,priority=10,ct_state=+trk+est,ip,actions=output:p3"},
            {"mod-flows", "table=2,reg0=7,actions=output:1"},
            {"--strict", "del-flows", "table=0,priority=80,udp"},
            {"--strict", "del-flows", "table=0,priority=81,tcp,tp_dst=80"},
            {"del-flows", "cookie=0x15/-1"},
            {"del-flows", "out_port=p2,table=1"},
        };
        String[] filters = {"table=0", "table=1", "cookie=0x25/-1", "cookie=0x5/0xf", "out_port=2", "out_port=p3",
            "in_port=p1", "ip", "tcp,tp_dst=80", "table=2,reg0=7", "table=5"};
        int dumps = 0;
        for (String v : VERSIONS) {
            try (Sw a = start(); Sw b = start()) {
                String ta = a.target();
                String tb = b.target();
                ours("-O", v, "add-flows", ta, flows.toString());
                theirs("-O", v, "add-flows", tb, flows.toString());
                assertSameTables(v, ta, tb, "add-flows");
                for (String f : filters) {
                    assertEquals(normalize(theirs("-O", v, "dump-flows", ta, f)),
                            normalize(ours("-O", v, "dump-flows", ta, f)), v + " dump-flows " + f);
                    assertEquals(theirs("-O", v, "--no-stats", "dump-flows", ta, f),
                            ours("-O", v, "--no-stats", "dump-flows", ta, f), v + " --no-stats dump-flows " + f);
                    assertEquals(normalize(theirs("-O", v, "--names", "dump-flows", ta, f)),
                            normalize(ours("-O", v, "--names", "dump-flows", ta, f)), v + " --names dump-flows " + f);
                    dumps += 3;
                }
                for (String[] step : steps) {
                    List<String> oa = new ArrayList<>(List.of("-O", v));
                    List<String> ob = new ArrayList<>(List.of("-O", v));
                    int cmd = step[0].equals("--strict") ? 1 : 0;
                    oa.addAll(List.of(step).subList(0, cmd + 1));
                    ob.addAll(List.of(step).subList(0, cmd + 1));
                    oa.add(ta);
                    ob.add(tb);
                    oa.addAll(List.of(step).subList(cmd + 1, step.length));
                    ob.addAll(List.of(step).subList(cmd + 1, step.length));
                    ours(oa.toArray(new String[0]));
                    theirs(ob.toArray(new String[0]));
                    assertSameTables(v, ta, tb, String.join(" ", step));
                }
            }
        }
        System.out.printf("flow commands: %d dump-flows FLOW outputs identical to ovs-ofctl's%n", dumps);
    }

    /** The two switches hold the same flows (as ovs-ofctl shows them). */
    private static void assertSameTables(String v, String ta, String tb, String after) {
        String a = theirs("-O", v, "--no-stats", "dump-flows", ta);
        String b = theirs("-O", v, "--no-stats", "dump-flows", tb);
        assertEquals(b, a, v + " after " + after);
    }
}
