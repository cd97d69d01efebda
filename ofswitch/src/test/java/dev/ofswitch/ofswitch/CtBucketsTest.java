package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dpctl/ct-bkts}: the text OVS 3.1's userspace datapath prints (captured from ovs-vswitchd 3.1 with 0 and 3
 * connections, {@code gt=0}, {@code gt=3}, {@code gt=5}, {@code gt=-1} and a datapath name).
 */
class CtBucketsTest {
    private static final String TABLE = """
            +-----------+-----------------------------------------+
            |  Buckets  |         Connections per Buckets         |
            +-----------+-----------------------------------------+
            """;

    @Test
    void noConnections_noTable() {
        assertEquals("Total Buckets: 1\nCurrent Connections: 0\n\n", UnixctlCommands.ctBuckets(List.of(), 0));
    }

    @Test
    void connections_inOneBucket() {
        assertEquals("Total Buckets: 1\nCurrent Connections: 3\n\n" + TABLE + "   0..  7   |     3\n\n",
                UnixctlCommands.ctBuckets(List.of(), 3));
        assertEquals("Total Buckets: 1\nCurrent Connections: 3\n\n" + TABLE + "   0..  7   |     3\n\n",
                UnixctlCommands.ctBuckets(List.of("dummy@ovs-dummy", "gt=0"), 3));
    }

    @Test
    void gt_showsADotUnlessAbove() {
        assertEquals("   0..  7   |     .\n\n", tail(UnixctlCommands.ctBuckets(List.of("gt=3"), 3)));
        assertEquals("   0..  7   |     .\n\n", tail(UnixctlCommands.ctBuckets(List.of("gt=5"), 3)));
        assertEquals("   0..  7   |     3\n\n", tail(UnixctlCommands.ctBuckets(List.of("gt=2"), 3)));
        // %u wraps: -1 is 4294967295.
        assertEquals("   0..  7   |     .\n\n", tail(UnixctlCommands.ctBuckets(List.of("gt=-1"), 3)));
        // Not a number: taken as the datapath's name, the threshold stays 0.
        assertEquals("   0..  7   |     3\n\n", tail(UnixctlCommands.ctBuckets(List.of("gt=x"), 3)));
    }

    private static String tail(String out) {
        return out.substring(out.lastIndexOf("   0..  7"));
    }
}
