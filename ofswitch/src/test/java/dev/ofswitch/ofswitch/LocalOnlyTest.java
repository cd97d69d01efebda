package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.channel.Target;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the switch exposes, by default, to other users and other hosts: the unixctl socket and {@code punix:}
 * listeners are for their owner only, and a passive TCP or TLS target without an address listens on loopback.
 */
class LocalOnlyTest {
    @TempDir
    Path dir;

    @Test
    void unixSockets_areForTheirOwnerOnly() throws IOException {
        Path ctl = dir.resolve("s1.ctl");
        Path mgmt = dir.resolve("s1.mgmt");
        Files.writeString(mgmt, "stale");       // a stale file at the path is replaced
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().unixctl(ctl).listen("punix:" + mgmt))) {
            sw.start();
            for (Path p : List.of(ctl, mgmt)) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
                assertEquals("rwx------", PosixFilePermissions.toString(mode), p + " mode");
                assertTrue(Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).isOther(),
                        p + " is a socket");
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(ctl, mgmt), files.sorted().toList(), "no temporary directory left behind");
            }
            if (Tools.which("ovs-appctl") != null) {
                Tools.run("ovs-appctl", "-t", ctl.toString(), "version").ok();
            }
            assertEquals(OfClient.HELLO, firstMessageType(mgmt), "the owner connects to punix: and gets HELLO");
        }
        assertTrue(Files.notExists(ctl), "the unixctl socket goes with the switch");
    }

    /** Connects to a unix socket and returns the type of the first message the switch sends, waiting at most 5 s. */
    private static int firstMessageType(Path path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
             Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            ByteBuffer header = ByteBuffer.allocate(8);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (header.hasRemaining()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || sel.select(left) == 0 && System.nanoTime() - deadline > 0) {
                    throw new AssertionError("no message on " + path + " within 5 s");
                }
                sel.selectedKeys().clear();
                if (ch.read(header) < 0) {
                    throw new AssertionError(path + " closed");
                }
            }
            return header.get(1);
        }
    }

    @Test
    void passiveTcpAndTls_withoutAddress_listenOnLoopbackOnly() throws IOException {
        assertEquals(new Target(Target.Scheme.PTCP, "127.0.0.1", 6653, null), Target.parse("ptcp:"));
        assertEquals(new Target(Target.Scheme.PTCP, "127.0.0.1", 6634, null), Target.parse("ptcp:6634"));
        assertEquals(new Target(Target.Scheme.PSSL, "127.0.0.1", 6653, null), Target.parse("pssl:"));
        assertEquals(new Target(Target.Scheme.PTCP, "0.0.0.0", 6634, null), Target.parse("ptcp:6634:0.0.0.0"));
        assertEquals(new Target(Target.Scheme.PSSL, "::", 6634, null), Target.parse("pssl:6634:[::]"));
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().listen("ptcp:0"))) {
            sw.start();
            InetSocketAddress a = sw.listenerAddresses().get(0);
            assertTrue(a.getAddress().isLoopbackAddress(), "ptcp:0 is bound to " + a);
        }
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().listen("ptcp:0:0.0.0.0"))) {
            sw.start();
            InetSocketAddress a = sw.listenerAddresses().get(0);
            assertTrue(a.getAddress().isAnyLocalAddress(), "an address given is used: " + a);
        }
    }

    @Test
    void targets_parseOvsSyntaxAndNameWhatIsWrong() {
        assertEquals("ssl:10.0.0.1:6653", Target.parse("ssl:10.0.0.1").toString());
        assertEquals("ssl:10.0.0.1:6633", Target.parse("ssl:10.0.0.1:6633").toString());
        assertTrue(Target.parse("ssl:10.0.0.1").isTls());
        assertTrue(Target.parse("pssl:").isPassive());
        assertEquals("\"ssl:\": ssl needs an IP address",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> Target.parse("ssl:")).getMessage());
        assertEquals("\"tls:1.2.3.4\": unknown connection type \"tls\" (expected ptcp, pssl, punix, tcp or ssl)",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> Target.parse("tls:1.2.3.4")).getMessage());
    }
}
