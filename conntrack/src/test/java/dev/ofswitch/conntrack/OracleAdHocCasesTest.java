package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against reports that real OVS 3.1 produced for packet scripts written for this test suite (see
 * {@code src/test/resources/oracle-adhoc/README.md}): TCP corner cases (SYN retransmission, port reuse, RSTs, bad flag
 * combinations, mid-stream pick-up and its ack leniency, window scaling), UDP/ICMP/GRE/SCTP, ICMP errors, malformed
 * IPv4, IPv6 with extension headers, and flushes by tuple. Replayed exactly like {@link OracleExamplesEngineTest}.
 */
class OracleAdHocCasesTest {

    @ParameterizedTest
    @ValueSource(strings = {"tcp-lifecycle", "tcp-rst-and-flags", "tcp-pickup", "tcp-window-scale", "udp-icmp-other",
        "ipv6", "flush", "flush-icmp", "timers-and-reuse"})
    void report_matchesRealOvs(String name) throws IOException {
        String expected = OracleExamplesEngineTest.resource("/oracle-adhoc/", name + "/expected.txt");
        String script = OracleExamplesEngineTest.resource("/oracle-adhoc/", name + "/packets.hex.txt");
        String actual = OracleExamplesEngineTest.replay(expected, script);
        assertEquals(expected, actual, name + ": " + firstDifference(expected, actual));
    }

    /** Names the first line where two reports differ, so that a failure is readable without a diff tool. */
    static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end>";
            String al = i < a.length ? a[i] : "<end>";
            if (!el.equals(al)) {
                return "first difference at line " + (i + 1) + ":\n  expected: " + el + "\n  actual:   " + al;
            }
        }
        return "no difference";
    }
}
