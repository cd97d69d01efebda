package dev.ofswitch.lab.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.host.EmulatedHost;
import dev.ofswitch.lab.host.PingResult;
import dev.ofswitch.ofswitch.OfSwitch;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.opentest4j.AssertionFailedError;

/**
 * {@link LabTopology} / {@link LabExtension}: a class-level lab shared by the tests and the nested tests, method
 * labs that win over it, injection into parameters and fields, and, through fixture classes run by a launcher of
 * their own, the lab being closed after the test and the failures a user sees.
 */
@LabTopology("single,3")
class LabExtensionTest {
    static Lab classLab;

    Lab lab;
    EmulatedHost h2;
    @LabNode("s1")
    OfSwitch theSwitch;

    @Test
    void injectsTheClassLabIntoParametersAndFields(Lab param, EmulatedHost h1, @LabNode("h3") EmulatedHost third,
            OfSwitch s1) throws Exception {
        assertNotNull(classLab, "static Lab fields get the class-level lab");
        assertSame(classLab, param);
        assertSame(classLab, lab);
        assertSame(classLab.host("h1"), h1);
        assertSame(classLab.host("h2"), h2);
        assertSame(classLab.host("h3"), third);
        assertSame(classLab.switchNode("s1"), s1);
        assertSame(s1, theSwitch);
        assertEquals(1, s1.controllerSessions(), "connected before the test starts");
        PingResult r = h1.ping(third.ip(), 1, 1000, 2000, 56).get(10, TimeUnit.SECONDS);
        assertEquals(1, r.received(), r.format());
    }

    @Test
    @LabTopology("linear,2")
    void aMethodAnnotationGivesTheTestALabOfItsOwn(Lab own, OfSwitch s2) {
        assertNotSame(classLab, own);
        assertSame(own, lab, "fields get the method's lab too");
        assertEquals(List.of("s1", "s2"), List.copyOf(own.switches().keySet()));
        assertSame(own.switchNode("s2"), s2);
        assertEquals(2, own.pingAll(List.of("h1", "h2"), 2000).received());
    }

    @Test
    @LabTopology(file = "topologies/tree22.json", unixctl = false)
    void aTopologyFileFromTheClassPath(Lab own) {
        assertEquals(3, own.switches().size());
        assertEquals(4, own.hosts().size());
        assertEquals(3, own.connectedSwitches());
    }

    @Nested
    class Inner {
        @Test
        void seesTheEnclosingClassLab(Lab l) {
            assertSame(classLab, l);
        }
    }

    // ================================================================================ fixtures, run by run() below

    /** Records its method lab, so the test can check that it was closed afterwards. */
    static class ClosesFixture {
        static Lab seen;

        @Test
        @LabTopology("single,2")
        void test(Lab lab) {
            seen = lab;
            assertTrue(lab.host("h1").isUp());
        }
    }

    static class DeadControllerFixture {
        @Test
        @LabTopology(value = "single,2", controller = "remote,ip=127.0.0.1,port=${labext.deadport}",
                connectTimeoutSeconds = 1)
        void test() {
        }
    }

    static class BothSpecAndFileFixture {
        @Test
        @LabTopology(value = "single,2", file = "topologies/tree22.json")
        void test() {
        }
    }

    static class UnknownHostFixture {
        @Test
        @LabTopology("single,2")
        void test(EmulatedHost h9) {
        }
    }

    private static TestExecutionSummary run(Class<?> fixture) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture))
                .build(), listener);
        return listener.getSummary();
    }

    private static Throwable onlyFailure(TestExecutionSummary s) {
        assertEquals(1, s.getTotalFailureCount(), () -> s.getFailures().toString());
        return s.getFailures().get(0).getException();
    }

    @Test
    void closesAMethodLabAfterTheTest() {
        TestExecutionSummary s = run(ClosesFixture.class);
        assertEquals(1, s.getTestsSucceededCount(), () -> s.getFailures().toString());
        assertFalse(ClosesFixture.seen.host("h1").isUp(), "hosts stopped");
        assertEquals(0, ClosesFixture.seen.connectedSwitches(), "switches disconnected");
        assertFalse(Files.exists(ClosesFixture.seen.runDir()), "the run directory and its sockets removed");
    }

    @Test
    void aSwitchThatDoesNotConnectFailsTheTestSayingSo() throws Exception {
        // A controller that accepts the TCP connection and never says HELLO.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.setProperty("labext.deadport", Integer.toString(silent.getLocalPort()));
            Throwable t = onlyFailure(run(DeadControllerFixture.class));
            assertInstanceOf(AssertionFailedError.class, t);
            assertEquals("@LabTopology single,2 on test: only 0 of 1 switches connected to [tcp:127.0.0.1:"
                    + silent.getLocalPort() + "] within 1 s", t.getMessage());
        } finally {
            System.clearProperty("labext.deadport");
        }
    }

    @Test
    void aSpecAndAFileTogetherAreAConfigurationError() {
        Throwable t = onlyFailure(run(BothSpecAndFileFixture.class));
        assertInstanceOf(ExtensionConfigurationException.class, t);
        assertEquals("@LabTopology on test: give exactly one of a spec (value, e.g. \"linear,3\") and a file "
                + "(file = \"...json\")", t.getMessage());
    }

    @Test
    void anUnknownNodeNameListsTheLabsNodes() {
        Throwable t = onlyFailure(run(UnknownHostFixture.class));
        assertInstanceOf(ParameterResolutionException.class, t);
        assertEquals("the lab has no host \"h9\" (hosts: h1 h2)", t.getMessage());
    }

    @Test
    void placeholdersComeFromSystemProperties() {
        System.setProperty("labext.port", "16653");
        try {
            assertEquals("remote,ip=127.0.0.1,port=16653",
                    LabExtension.substitute("remote,ip=127.0.0.1,port=${labext.port}", null));
        } finally {
            System.clearProperty("labext.port");
        }
    }
}
