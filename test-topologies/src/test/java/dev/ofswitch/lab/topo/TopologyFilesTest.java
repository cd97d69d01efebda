package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TopologyFiles}: the shipped examples, the README's example, round trips, what is written, and every
 * error a file can have that a built topology cannot (syntax, unknown fields, wrong types), each with its whole
 * message. Tests run in the module directory, so {@code topologies/} is the shipped folder.
 */
class TopologyFilesTest {
    private static final Path DIR = Path.of("topologies");
    private static final String BAD = "topologies/bad.json";

    @TempDir
    Path tmp;

    private static String error(String json) {
        return assertThrows(TopologyException.class, () -> TopologyFiles.parse(json, BAD)).getMessage();
    }

    /** A topology with one switch s1 and one host h1 linked, with {@code extra} spliced into one of them. */
    private static String pair(String switchExtra, String hostExtra, String linkExtra) {
        return "{\n"
                + "  \"name\": \"x\",\n"
                + "  \"switches\": [ { \"name\": \"s1\"" + switchExtra + " } ],\n"
                + "  \"hosts\": [ { \"name\": \"h1\"" + hostExtra + " } ],\n"
                + "  \"links\": [ { \"node1\": \"h1\", \"node2\": \"s1\"" + linkExtra + " } ]\n"
                + "}\n";
    }

    // ---------------------------------------------------------------- the shipped files

    @Test
    void demo_isOneSwitchWithAnInsideAndTwoOutsideHosts() {
        Topology t = TopologyFiles.load(DIR.resolve("demo.json"));
        assertEquals("demo", t.name());
        assertEquals(List.of(new Link("h1", 0, "s1", 1), new Link("h2", 0, "s1", 2), new Link("h3", 0, "s1", 3)),
                t.links());
        assertEquals(List.of("00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:03"),
                t.hosts().stream().map(Host::mac).toList());
        assertTrue(t.description().startsWith("Stateful firewall demo"));
    }

    @Test
    void twoTenants_isTwoSwitchesInALineWithATrunkOnPort3() {
        Topology t = TopologyFiles.load(DIR.resolve("two-tenants.json"));
        assertEquals("""
                a1 a1-eth0:s1-eth1
                a2 a2-eth0:s2-eth1
                b1 b1-eth0:s1-eth2
                b2 b2-eth0:s2-eth2
                s1 lo:  s1-eth1:a1-eth0 s1-eth2:b1-eth0 s1-eth3:s2-eth3
                s2 lo:  s2-eth1:a2-eth0 s2-eth2:b2-eth0 s2-eth3:s1-eth3
                c0
                """, MininetFormat.net(t));
        assertEquals(List.of(OpenFlowVersion.OF13, OpenFlowVersion.OF14, OpenFlowVersion.OF15),
                t.switches().get(0).protocols());
        assertEquals("10.0.2.254", ((Host) t.node("b2").orElseThrow()).gateway());
    }

    @Test
    void linear3Delay_isMininetsLinear3WithSlowSwitchLinks() {
        Topology t = TopologyFiles.load(DIR.resolve("linear3-delay.json"));
        Topology linear3 = Topologies.linear(3, 1);
        assertEquals(MininetFormat.net(linear3), MininetFormat.net(t));
        assertEquals(MininetFormat.links(linear3), MininetFormat.links(t));
        assertEquals(linear3.hosts(), t.hosts());
        Link s3s2 = t.linkAt("s3", 2).orElseThrow();
        assertEquals(20, s3s2.delayMs());
        assertEquals(2, s3s2.lossPercent());
        assertEquals(100.0, s3s2.bandwidthMbps());
        assertEquals(10, t.linkAt("s1", 2).orElseThrow().delayMs());
        assertEquals(0, t.linkAt("s1", 1).orElseThrow().delayMs());
    }

    @Test
    void tree22File_isTree22AsSaveWritesIt() throws IOException {
        Topology tree = Topologies.tree(2, 2);
        assertEquals(tree, TopologyFiles.load(DIR.resolve("tree22.json")));
        assertEquals(Files.readString(DIR.resolve("tree22.json")), TopologyFiles.toJson(tree));
    }

    @Test
    void readmeExample_loadsAndPrintsTheNetTheReadmeShows() throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"));
        Matcher json = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(json.find());
        Matcher net = Pattern.compile("```\n(h1 .*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(net.find());
        Topology t = TopologyFiles.parse(json.group(1), "README.md");
        assertEquals(net.group(1), MininetFormat.net(t));
        Switch s2 = (Switch) t.node("s2").orElseThrow();
        assertEquals(0xa2L, s2.dpid());
        assertEquals(FailMode.STANDALONE, s2.failMode());
        assertEquals(false, t.links().get(2).up());
    }

    @Test
    void everyShippedFile_survivesARoundTrip() throws IOException {
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                Topology t = TopologyFiles.load(f);
                Path copy = tmp.resolve(f.getFileName());
                TopologyFiles.save(t, copy);
                assertEquals(t, TopologyFiles.load(copy), f.toString());
            }
        }
    }

    // ---------------------------------------------------------------- reading and writing

    @Test
    void nameLeftOut_isTheFileName() throws IOException {
        Path f = tmp.resolve("lab-a.json");
        Files.writeString(f, "{ \"hosts\": [ { \"name\": \"h1\" } ] }");
        assertEquals("lab-a", TopologyFiles.load(f).name());
    }

    @Test
    void nullFields_countAsLeftOut() {
        Topology t = TopologyFiles.parse(pair(", \"dpid\": null, \"failMode\": null", ", \"ip\": null",
                ", \"port1\": null, \"up\": null, \"delayMs\": null"), BAD);
        assertEquals(TopologyFiles.parse(pair("", "", ""), BAD), t);
    }

    @Test
    void dpids_areReadInHexWithOrWithoutColons() {
        assertEquals(0xaL, TopologyFiles.parse(pair(", \"dpid\": \"a\"", "", ""), BAD).switches().get(0).dpid());
        assertEquals(0xa2L, TopologyFiles.parse(pair(", \"dpid\": \"00:00:00:00:00:00:00:A2\"", "", ""), BAD)
                .switches().get(0).dpid());
    }

    @Test
    void toJson_leavesDefaultsOut() {
        String json = TopologyFiles.toJson(Topologies.minimal());
        for (String absent : List.of("protocols", "failMode", "controllers", "listenPort", "up", "delayMs",
                "lossPercent", "bandwidthMbps", "mac", "gateway", "description")) {
            assertFalse(json.contains("\"" + absent + "\""), absent);
        }
    }

    @Test
    void toJson_writesEverythingElseOnOneLinePerNode() {
        Topology t = Topology.builder("all").description("every field")
                .addSwitch(new Switch("s1", 0xabL, List.of(OpenFlowVersion.OF13), FailMode.STANDALONE,
                        List.of("tcp:127.0.0.1:6653"), 6654))
                .addHost(new Host("h1", "10.0.0.1/24", "00:00:00:00:00:01", "10.0.0.254"))
                .addLink(new Link("h1", 0, "s1", 1, false, 5, 1.5, 100.0)).build().validate();
        assertEquals("""
                {
                  "name": "all",
                  "description": "every field",
                  "switches": [
                    { "name": "s1", "dpid": "00000000000000ab", "protocols": [ "OpenFlow13" ], "failMode": "standalone", "controllers": [ "tcp:127.0.0.1:6653" ], "listenPort": 6654 }
                  ],
                  "hosts": [
                    { "name": "h1", "ip": "10.0.0.1/24", "mac": "00:00:00:00:00:01", "gateway": "10.0.0.254" }
                  ],
                  "links": [
                    { "node1": "h1", "port1": 0, "node2": "s1", "port2": 1, "up": false, "delayMs": 5.0, "lossPercent": 1.5, "bandwidthMbps": 100.0 }
                  ]
                }
                """, TopologyFiles.toJson(t));
        assertEquals(t, TopologyFiles.parse(TopologyFiles.toJson(t), "all.json"));
    }

    // ---------------------------------------------------------------- file errors

    @Test
    void missingFile_isNamed() {
        Path f = tmp.resolve("nope.json");
        assertEquals(f + ": no such file",
                assertThrows(TopologyException.class, () -> TopologyFiles.load(f)).getMessage());
    }

    @Test
    void notUtf8_isRejected() throws IOException {
        Path f = tmp.resolve("latin1.json");
        Files.write(f, "{ \"name\": \"caf\u00e9\" }".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(f + ": not UTF-8 text",
                assertThrows(TopologyException.class, () -> TopologyFiles.load(f)).getMessage());
    }

    @Test
    void validationErrors_nameTheFile() throws IOException {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, pair("", "", "").replace("\"node2\": \"s1\"", "\"node2\": \"h9\""));
        assertEquals(f + ": link 1 (h1 - h9): unknown node \"h9\" in \"node2\"",
                assertThrows(TopologyException.class, () -> TopologyFiles.load(f)).getMessage());
    }

    @Test
    void unknownNodeInALink_isTheMessageFromTheBrief() {
        String json = """
                {
                  "name": "bad",
                  "switches": [ { "name": "s1" } ],
                  "hosts": [ { "name": "h1" }, { "name": "h2" } ],
                  "links": [
                    { "node1": "h1", "port1": 0, "node2": "s1", "port2": 1 },
                    { "node1": "h2", "port1": 0, "node2": "s1", "port2": 3 },
                    { "node1": "s1", "port1": 2, "node2": "h9", "port2": 0 }
                  ]
                }
                """;
        assertEquals("topologies/bad.json: link 3 (s1:2 - h9:0): unknown node \"h9\" in \"node2\"", error(json));
    }

    // ---------------------------------------------------------------- syntax

    @Test
    void malformedJson_givesLineAndColumn() {
        assertEquals("topologies/bad.json: malformed JSON at line 3, column 33: Unexpected character ('}' (code 125)): "
                + "was expecting double-quote to start field name", error(pair(",", "", "")));
        assertEquals("topologies/bad.json: malformed JSON at line 2, column 1: Unexpected end-of-input: expected close "
                + "marker for Object (opened at line 1, column 1)", error("{ \"name\": \"x\"\n"));
    }

    @Test
    void duplicateField_isNamed() {
        assertEquals("topologies/bad.json: duplicate field \"ip\" at line 4, column 48",
                error(pair("", ", \"ip\": \"10.0.0.1\", \"ip\": \"10.0.0.2\"", "")));
    }

    @Test
    void contentAfterTheObject_isRejected() {
        assertEquals("topologies/bad.json: more JSON after the topology object at line 8, column 1",
                error(pair("", "", "") + "\n{}"));
    }

    @Test
    void emptyFileOrNonObject_isRejected() {
        assertEquals("topologies/bad.json: empty; expected a JSON object with \"name\", \"switches\", \"hosts\" and "
                + "\"links\"", error("  \n"));
        assertEquals("topologies/bad.json: expected a JSON object with \"name\", \"switches\", \"hosts\" and "
                + "\"links\", got a list [...]", error("[]"));
    }

    // ---------------------------------------------------------------- fields

    @Test
    void unknownFields_areNamedWithTheFieldsThatExist() {
        assertEquals("topologies/bad.json: host \"h1\": unknown field \"macc\" (fields of a host: name, ip, mac, "
                + "gateway) at line 4, column 30", error(pair("", ", \"macc\": \"00:00:00:00:00:01\"", "")));
        assertEquals("topologies/bad.json: switch \"s1\": unknown field \"fail_mode\" (fields of a switch: name, dpid, "
                + "protocols, failMode, controllers, listenPort, flows) at line 3, column 33",
                error(pair(", \"fail_mode\": \"secure\"", "", "")));
        assertEquals("topologies/bad.json: link 1 (h1 - s1): unknown field \"delay\" (fields of a link: node1, port1, "
                + "node2, port2, up, delayMs, lossPercent, bandwidthMbps) at line 5, column 46",
                error(pair("", "", ", \"delay\": \"5ms\"")));
        assertEquals("topologies/bad.json: topology: unknown field \"hots\" (fields of a topology: name, description, "
                + "switches, hosts, links) at line 1, column 16", error("{ \"name\": \"x\", \"hots\": [] }"));
    }

    /** Found by TopologyFilesFuzzTest: a JSON name may hold a newline, and the message must stay one line. */
    @Test
    void unknownFieldWithANewlineInItsName_isShownEscaped() {
        assertEquals("topologies/bad.json: host \"h1\": unknown field \"ma\\nc\" (fields of a host: name, ip, mac, "
                + "gateway) at line 4, column 30", error(pair("", ", \"ma\\nc\": \"00:00:00:00:00:01\"", "")));
    }

    @Test
    void wrongTypes_sayWhatWasExpectedAndWhatCame() {
        assertEquals("topologies/bad.json: host \"h1\": \"ip\" must be a string, got the number 1 at line 4, "
                + "column 30", error(pair("", ", \"ip\": 1", "")));
        assertEquals("topologies/bad.json: link 1 (h1:2 - s1): \"port1\" must be a whole number, got the string \"2\" "
                + "at line 5, column 46", error(pair("", "", ", \"port1\": \"2\"")));
        assertEquals("topologies/bad.json: link 1 (h1:1.5 - s1): \"port1\" must be a whole number, got the number 1.5 "
                + "at line 5, column 46", error(pair("", "", ", \"port1\": 1.5")));
        assertEquals("topologies/bad.json: link 1 (h1 - s1): \"up\" must be true or false, got the string \"no\" at "
                + "line 5, column 46", error(pair("", "", ", \"up\": \"no\"")));
        assertEquals("topologies/bad.json: link 1 (h1 - s1): \"delayMs\" must be a number, got the string \"5ms\" at "
                + "line 5, column 46", error(pair("", "", ", \"delayMs\": \"5ms\"")));
        assertEquals("topologies/bad.json: topology: \"switches\" must be a list [...], got an object {...} at line 1, "
                + "column 16", error("{ \"name\": \"x\", \"switches\": {} }"));
        assertEquals("topologies/bad.json: switch #1: \"name\" must be a string, got the number 1 at line 3, column "
                + "19", error(pair("", "", "").replace("\"name\": \"s1\"", "\"name\": 1")));
        assertEquals("topologies/bad.json: switch \"s1\": \"controllers\" must be a list [...], got the string "
                + "\"tcp:127.0.0.1:6653\" at line 3, column 33",
                error(pair(", \"controllers\": \"tcp:127.0.0.1:6653\"", "", "")));
    }

    @Test
    void nullListEntries_areRejected() {
        assertEquals("topologies/bad.json: host #1: null where an object {...} belongs at line 1, column 27",
                error("{ \"name\": \"x\", \"hosts\": [ null ] }"));
        assertEquals("topologies/bad.json: switch \"s1\": \"protocols\" holds a null at line 3, column 33",
                error(pair(", \"protocols\": [ null ]", "", "")));
    }

    @Test
    void unknownEnumValues_listTheKnownOnes() {
        assertEquals("topologies/bad.json: switch \"s1\": \"failMode\" must be \"secure\" or \"standalone\", got the "
                + "string \"open\" at line 3, column 33", error(pair(", \"failMode\": \"open\"", "", "")));
        assertEquals("topologies/bad.json: switch \"s1\": each entry of \"protocols\" must be one of \"OpenFlow10\", "
                + "\"OpenFlow13\", \"OpenFlow14\", \"OpenFlow15\", got the string \"OpenFlow11\" at line 3, column 33",
                error(pair(", \"protocols\": [ \"OpenFlow11\" ]", "", "")));
    }

    @Test
    void dpidsMustBeHexStrings() {
        assertEquals("topologies/bad.json: switch \"s1\": \"dpid\" must be a string of hex digits such as "
                + "\"000000000000000a\" (a JSON number would leave open whether 10 is decimal or hex), got 10 at line "
                + "3, column 33", error(pair(", \"dpid\": 10", "", "")));
        assertEquals("topologies/bad.json: switch \"s1\": bad dpid \"0x1\": expected 1 to 16 hex digits (colons "
                + "allowed), e.g. \"000000000000000a\" at line 3, column 33",
                error(pair(", \"dpid\": \"0x1\"", "", "")));
        assertEquals("topologies/bad.json: switch \"s1\": bad dpid \"10000000000000000\": expected 1 to 16 hex digits "
                + "(colons allowed), e.g. \"000000000000000a\" at line 3, column 33",
                error(pair(", \"dpid\": \"10000000000000000\"", "", "")));
    }
}
