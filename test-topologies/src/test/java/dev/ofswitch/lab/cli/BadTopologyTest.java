package dev.ofswitch.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.topo.Topology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code bin/lab --topo FILE} with a bad topology file: exit status 2, one line on stderr naming the file, the node
 * or link and the field, and nothing on stdout, i.e. not even Mininet's {@code *** Creating network}: nothing
 * started. And a lab that fails while starting (a switch's listen port is taken) leaves nothing running.
 */
class BadTopologyTest {
    @TempDir
    Path dir;

    private static final String SWITCH = "\"switches\": [ {\"name\": \"s1\"} ]";

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("unknown-node.json", "{ " + SWITCH + ", \"hosts\": [ {\"name\": \"h1\"}, "
                        + "{\"name\": \"h2\"} ], \"links\": [ {\"node1\": \"h1\", \"node2\": \"s1\"}, "
                        + "{\"node1\": \"h2\", \"node2\": \"s9\"} ] }",
                        "link 2 (h2 - s9): unknown node \"s9\" in \"node2\""),
                Arguments.of("duplicate-port.json", "{ " + SWITCH + ", \"hosts\": [ {\"name\": \"h1\"}, "
                        + "{\"name\": \"h2\"} ], \"links\": [ {\"node1\": \"h1\", \"node2\": \"s1\", \"port2\": 1}, "
                        + "{\"node1\": \"h2\", \"node2\": \"s1\", \"port2\": 1} ] }",
                        "link 2 (h2 - s1:1): port 1 (\"port2\") on switch \"s1\" is already used by link 1 "
                                + "(h1:0 - s1:1)"),
                Arguments.of("bad-ip.json", "{ " + SWITCH + ", \"hosts\": [ {\"name\": \"h1\", \"ip\": "
                        + "\"10.0.0.300/8\"} ], \"links\": [ {\"node1\": \"h1\", \"node2\": \"s1\"} ] }",
                        "host \"h1\": bad IP \"10.0.0.300/8\": 300 is more than 255"),
                Arguments.of("bad-mac.json", "{ " + SWITCH + ", \"hosts\": [ {\"name\": \"h1\", \"mac\": "
                        + "\"00:11:22:33:44\"} ], \"links\": [ {\"node1\": \"h1\", \"node2\": \"s1\"} ] }",
                        "host \"h1\": bad MAC \"00:11:22:33:44\": expected six hex bytes separated by colons, "
                                + "e.g. 00:00:00:00:00:01"),
                Arguments.of("unknown-field.json", "{ " + SWITCH + ", \"hosts\": [ {\"name\": \"h1\", \"ipp\": "
                        + "\"10.0.0.3/8\"} ], \"links\": [] }",
                        "host \"h1\": unknown field \"ipp\" (fields of a host: name, ip, mac, gateway) at line 1, "
                                + "column 61"),
                Arguments.of("same-ip.json", "{ " + SWITCH + ", \"hosts\": [ {\"name\": \"h1\", \"ip\": "
                        + "\"10.0.0.2/8\"}, {\"name\": \"h2\"} ], \"links\": [] }",
                        "host \"h2\": IP 10.0.0.2 is also the IP of host \"h1\" (a host without \"ip\" gets "
                                + "10.0.0.N/8, N being its place in the natural order of host names, as in "
                                + "Mininet's buildFromTopo(); host \"h2\" has no \"ip\")"),
                Arguments.of("malformed.json", "{ " + SWITCH + ",",
                        "malformed JSON at line 1, column 34: Unexpected end-of-input within/between Object "
                                + "entries"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFile_isOneLineOnStderr_namingFileNodeAndField_andNothingStarts(String name, String json,
            String problem) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        Run r = lab("--topo", file.toString(), "--test", "pingall");
        assertEquals(2, r.status, r::toString);
        assertEquals("", r.out, "nothing started");
        assertEquals("lab: " + file + ": " + problem + "\n", r.err);
    }

    @Test
    void aMissingFile_isNamed() {
        Path file = dir.resolve("nowhere.json");
        Run r = lab("--topo", file.toString());
        assertEquals(2, r.status, r::toString);
        assertEquals("", r.out);
        assertEquals("lab: " + file + ": no such file\n", r.err);
    }

    /**
     * A valid topology whose second switch cannot listen on its port: {@link Lab#start} throws, and the first
     * switch, which had started, is stopped again (its own listen port refuses connections).
     */
    @Test
    void aSwitchThatCannotStart_stopsTheOthers() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int free = freePort();
            Topology t = Topology.builder("t").addSwitch("s1").addSwitch("s2").addHost("h1").addHost("h2")
                    .addLink("h1", "s1").addLink("h2", "s2").addLink("s1", "s2").build();
            Topology withPorts = new Topology(t.name(), t.description(), List.of(
                    t.switches().get(0).withListenPort(free), t.switches().get(1).withListenPort(taken.getLocalPort())),
                    t.hosts(), t.links());
            IOException e = assertThrows(IOException.class,
                    () -> Lab.start(withPorts, new Lab.Options().unixctl(false)));
            assertTrue(e.getMessage().contains("ptcp:" + taken.getLocalPort()), e::toString);
            assertFalse(accepts(free), "s1 still listens on " + free + " after the lab failed to start");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private record Run(int status, String out, String err) {
    }

    private static Run lab(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int rc;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            rc = new CommandLine(new LabMain()).execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
