package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.channel.TlsSettings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against OVS's own tools: certificates from {@code ovs-pki} (its switch and controller CAs), {@code ovs-ofctl}
 * with {@code --private-key --certificate --ca-cert} on {@code ssl:127.0.0.1:PORT} against a {@code pssl:} listener,
 * and the switch connecting with {@code ssl:} to {@code ovs-testcontroller}. Skipped loudly without those tools.
 */
class OvsOfctlTlsTest {
    /** Made once for the class (ovs-pki init takes a while). */
    private static TestPki.Fixture tls;

    @TempDir
    static Path pkiDir;
    @TempDir
    Path dir;
    private OfSwitch sw;
    private Process controller;

    @BeforeEach
    void pki() throws IOException {
        Tools.require("TLS with OVS's tools", "ovs-ofctl", "ovs-pki");
        synchronized (OvsOfctlTlsTest.class) {
            if (tls == null) {
                tls = TestPki.fixture(TestPki.ovsPki(pkiDir));
            }
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (sw != null) {
            sw.close();
        }
        if (controller != null) {
            controller.destroy();
            controller.waitFor();
        }
    }

    private void startSwitch(SwitchConfig cfg) throws IOException {
        sw = new OfSwitch(cfg.ports(4).tls(TlsSettings.of(tls.switchId().privateKey(),
                tls.switchId().certificate(), tls.pki().controllerCa().toString(), null)));
        sw.start();
    }

    private Tools.Result ofctl(TestPki.Identity id, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-t", "10", "--private-key=" + id.privateKey(),
                "--certificate=" + id.certificate(), "--ca-cert=" + tls.pki().switchCa(), "-O", "OpenFlow13"));
        for (String a : args) {
            cmd.add(a.equals("TARGET") ? "ssl:127.0.0.1:" + sw.boundTlsPort() : a);
        }
        return Tools.run(20, cmd);
    }

    @Test
    void ovsOfctl_addsAndDumpsFlowsOverSsl() throws IOException {
        startSwitch(SwitchConfig.defaults().listen("pssl:0"));
        ofctl(tls.controllerId(), "add-flow", "TARGET", "in_port=1,actions=output:2").ok();
        List<String> flows = LiveSwitch.flows(ofctl(tls.controllerId(), "dump-flows", "TARGET"));
        assertEquals(List.of("cookie=0x0, table=0, n_packets=0, n_bytes=0, in_port=1 actions=output:2"), flows);
    }

    @Test
    void ovsOfctl_withACertificateFromAnotherCa_isRefused() throws IOException {
        startSwitch(SwitchConfig.defaults().listen("pssl:0"));
        Tools.Result r = ofctl(tls.rogueId(), "dump-flows", "TARGET");
        assertNotEquals(0, r.exitCode(), "refused: " + r.stdout() + r.stderr());
        assertTrue(sw.agent().connections().isEmpty());
    }

    @Test
    void ovsOfctl_withoutTls_getsNoOpenFlowFromAPsslPort() throws IOException {
        startSwitch(SwitchConfig.defaults().listen("pssl:0"));
        Tools.Result r = Tools.run(20, List.of("ovs-ofctl", "-t", "3", "-O", "OpenFlow13", "dump-flows",
                "tcp:127.0.0.1:" + sw.boundTlsPort()));
        assertNotEquals(0, r.exitCode(), "plain TCP against pssl: " + r.stdout() + r.stderr());
    }

    /** The switch connects with ssl: to ovs-testcontroller (pssl, trusting the switch CA), which takes control. */
    @Test
    void ssl_toOvsTestcontroller() throws IOException {
        Tools.require("ssl: to OVS's test controller", "ovs-testcontroller");
        int port = TestController.deadPort();
        TestPki.Identity ctlId = tls.pki().identity("testcontroller", "controller");
        ProcessBuilder pb = new ProcessBuilder("ovs-testcontroller", "-p", ctlId.privateKey().toString(), "-c",
                ctlId.certificate().toString(), "-C", tls.pki().switchCa().toString(), "-vconsole:off",
                "--log-file=" + dir.resolve("testcontroller.log"), "pssl:" + port + ":127.0.0.1")
                .redirectOutput(new File("/dev/null")).redirectErrorStream(true);
        pb.environment().put("OVS_RUNDIR", dir.toString());     // its control socket, not /var/run/openvswitch
        controller = pb.start();
        startSwitch(SwitchConfig.defaults().controller("ssl:127.0.0.1:" + port));
        Tools.await("ovs-testcontroller to take control over TLS", 20_000, () -> {
            if (!controller.isAlive()) {
                throw new AssertionError("ovs-testcontroller exited: see " + dir.resolve("testcontroller.log"));
            }
            return sw.controllerStatus().get(0).admitted();
        });
        assertTrue(sw.controllerStatus().get(0).target().startsWith("ssl:"));
    }
}
