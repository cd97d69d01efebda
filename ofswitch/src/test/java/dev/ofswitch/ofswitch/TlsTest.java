package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.OF13;
import static dev.ofswitch.ofswitch.OfClient.applyActions;
import static dev.ofswitch.ofswitch.OfClient.flowMod13;
import static dev.ofswitch.ofswitch.OfClient.hex;
import static dev.ofswitch.ofswitch.OfClient.output13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.ofswitch.channel.ControllerStatus;
import dev.ofswitch.ofswitch.channel.PemFiles;
import dev.ofswitch.ofswitch.channel.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the OpenFlow channel with Java peers and certificates made in Java (so these run wherever the tests run;
 * {@link OvsOfctlTlsTest} does the same with ovs-pki and ovs-ofctl). The PKI is OVS's: the switch's identity
 * is signed by the switch CA, controllers' by the controller CA; the switch trusts the controller CA, controllers the
 * switch CA. Authentication is mutual: a peer without a certificate, or with one from another CA, gets nowhere.
 */
class TlsTest {
    /** Made once for the class (RSA keys take a while). */
    private static TestPki.Fixture tls;
    private TestPki pki;
    private TestPki.Identity switchId;
    private TestPki.Identity controllerId;
    /** Signed by the switch CA, which the switch does not trust for its peers. */
    private TestPki.Identity rogueId;

    @TempDir
    static Path pkiDir;
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void pki() throws IOException {
        synchronized (TlsTest.class) {
            if (tls == null) {
                tls = TestPki.fixture(TestPki.inJava(pkiDir));
            }
        }
        pki = tls.pki();
        switchId = tls.switchId();
        controllerId = tls.controllerId();
        rogueId = tls.rogueId();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private TlsSettings switchTls() {
        return TlsSettings.of(switchId.privateKey(), switchId.certificate(), pki.controllerCa().toString(), null);
    }

    private OfSwitch start(SwitchConfig cfg) throws IOException {
        OfSwitch sw = new OfSwitch(cfg.ports(4));
        open.add(sw);
        sw.start();
        return sw;
    }

    /** A TLS client socket to the switch's pssl port, handshake done. */
    private SSLSocket tlsClient(OfSwitch sw, SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", sw.boundTlsPort());
        open.add(s);
        s.setSoTimeout(OfClient.TIMEOUT_MILLIS);
        s.startHandshake();
        return s;
    }

    // ------------------------------------------------------------------------------------------ pssl

    @Test
    void pssl_servesAClientWhoseCertificateTheCaSigned() throws Exception {
        OfSwitch sw = start(SwitchConfig.defaults().listen("pssl:0").tls(switchTls()));
        SSLSocket s = tlsClient(sw, TestPki.sslContext(controllerId, pki.switchCa()));
        assertEquals(switchId.cert(), s.getSession().getPeerCertificates()[0], "the switch shows its certificate");
        OfClient c = OfClient.over(s, OF13);
        c.send(flowMod13(1, 0, 0, 100, hex("8000000400000001"), applyActions(output13(2))));
        assertTrue(c.barrier().isEmpty());
        assertEquals(1, sw.flowTables().all().size());
        assertTrue(sw.listenerAddresses().get(0).getAddress().isLoopbackAddress(), "pssl:0 listens on 127.0.0.1");
    }

    @Test
    void pssl_refusesAClientWithoutCertificate() throws Exception {
        OfSwitch sw = start(SwitchConfig.defaults().listen("pssl:0").tls(switchTls()));
        SSLContext anonymous = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", TestPki.certificates(pki.switchCa()).get(0));
        tmf.init(ts);
        anonymous.init(null, tmf.getTrustManagers(), null);
        assertRefused(sw, anonymous);
    }

    @Test
    void pssl_refusesAClientFromAnotherCa() throws Exception {
        OfSwitch sw = start(SwitchConfig.defaults().listen("pssl:0").tls(switchTls()));
        assertRefused(sw, TestPki.sslContext(rogueId, pki.switchCa()));
    }

    /** The handshake fails (TLS 1.3 may report it at the first read), and no OpenFlow session starts. */
    private void assertRefused(OfSwitch sw, SSLContext ctx) {
        assertThrows(IOException.class, () -> {
            SSLSocket s = tlsClient(sw, ctx);
            OfClient.over(s, OF13);
        });
        assertTrue(sw.agent().connections().isEmpty(), "no session");
    }

    @Test
    void pssl_withoutKeyOrCertificate_doesNotStart() {
        OfSwitch sw = new OfSwitch(SwitchConfig.defaults().listen("pssl:0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, sw::start);
        assertEquals("Private key must be configured to use SSL (--private-key); Certificate must be configured to "
                + "use SSL (--certificate); CA certificate must be configured to use SSL (--ca-cert or "
                + "--bootstrap-ca-cert)", e.getMessage());
    }

    @Test
    void pssl_keyNotMatchingTheCertificate_doesNotStart() {
        OfSwitch sw = new OfSwitch(SwitchConfig.defaults().listen("pssl:0").tls(TlsSettings.of(
                controllerId.privateKey(), switchId.certificate(), pki.controllerCa().toString(), null)));
        IOException e = assertThrows(IOException.class, sw::start);
        assertTrue(e.getMessage().contains("does not match certificate public key"), e.getMessage());
    }

    @Test
    void binOfswitch_tlsOptionsAreCheckedBeforeAnythingStarts() {
        // No key: the switch does not start (exit 1); both CA options: a usage error (exit 2).
        assertEquals(1, new picocli.CommandLine(new SwitchMain()).execute("--listen", "pssl:0"));
        assertEquals(2, new picocli.CommandLine(new SwitchMain()).execute("--listen", "pssl:0", "--ca-cert",
                pki.controllerCa().toString(), "--bootstrap-ca-cert", dir.resolve("ca.pem").toString()));
    }

    // ------------------------------------------------------------------------------------------ ssl

    @Test
    void ssl_connectsToATlsController() throws Exception {
        TestController ctl = TestController.listenTls(0, TestPki.sslContext(controllerId, pki.switchCa()));
        open.add(ctl);
        OfSwitch sw = start(SwitchConfig.defaults().controller("ssl:127.0.0.1:" + ctl.port()).tls(switchTls()));
        OfClient c = ctl.accept(OF13);
        Tools.await("the controller session", 5000, () -> sw.controllerStatus().get(0).connected());
        assertEquals("ssl:127.0.0.1:" + ctl.port(), sw.controllerStatus().get(0).target());
        c.send(flowMod13(1, 0, 0, 100, hex("8000000400000001"), applyActions(output13(2))));
        assertTrue(c.barrier().isEmpty());
        assertEquals(1, sw.flowTables().all().size());
    }

    @Test
    void ssl_refusesAControllerFromAnotherCa() throws Exception {
        TestController ctl = TestController.listenTls(0, TestPki.sslContext(rogueId, pki.switchCa()));
        open.add(ctl);
        // A frozen clock: the first attempt stays the only one.
        OfSwitch sw = start(SwitchConfig.defaults().clock(ControllableClock.manual(0))
                .controller("ssl:127.0.0.1:" + ctl.port()).tls(switchTls()));
        assertThrows(IOException.class, () -> ctl.accept(OF13));
        ControllerStatus st = awaitStatus(sw, "the refusal", s -> s.state().equals("BACKOFF"));
        assertEquals(1, st.attempts());
        assertEquals(0, st.successes());
        assertTrue(st.lastError().contains("certification path"), st.toString());
    }

    /**
     * --bootstrap-ca-cert: the CA file does not exist; the first connection saves the CA certificate the controller
     * sends last in its chain, and is dropped; the next one, verified against it, works.
     */
    @Test
    void ssl_bootstrapsTheCaCertificateFromTheFirstController() throws Exception {
        Path chain = pki.chainWithCa(controllerId, "controller");
        TestPki.Identity withChain = new TestPki.Identity(controllerId.privateKey(), chain);
        TestController ctl = TestController.listenTls(0, TestPki.sslContext(withChain, pki.switchCa()));
        open.add(ctl);
        Path learned = dir.resolve("learned-cacert.pem");
        ControllableClock clock = ControllableClock.manual(0);
        OfSwitch sw = start(SwitchConfig.defaults().clock(clock).controller("ssl:127.0.0.1:" + ctl.port())
                .tls(TlsSettings.of(switchId.privateKey(), switchId.certificate(), null, learned)));
        assertThrows(IOException.class, () -> ctl.accept(OF13), "the first connection is dropped");
        awaitStatus(sw, "the first connection to end", s -> s.state().equals("BACKOFF"));
        assertTrue(Files.exists(learned));
        assertEquals(TestPki.certificates(pki.controllerCa()), PemFiles.certificates(learned));

        clock.advanceNanos(1_000_000_000L);
        sw.runTimers();
        OfClient c = ctl.accept(OF13);
        awaitStatus(sw, "the verified connection", ControllerStatus::connected);
        assertTrue(c.barrier().isEmpty());
    }

    private static ControllerStatus awaitStatus(OfSwitch sw, String what,
                                                java.util.function.Predicate<ControllerStatus> p) {
        Tools.await(what, 5000, () -> p.test(sw.controllerStatus().get(0)));
        return sw.controllerStatus().get(0);
    }

    // ------------------------------------------------------------------------------------------ PEM

    /** Older OpenSSL writes RSA keys as PKCS#1 ("RSA PRIVATE KEY"); they are read as well as PKCS#8. */
    @Test
    void pem_readsPkcs1RsaKeys() throws Exception {
        PrivateKey k = PemFiles.privateKey(switchId.privateKey());
        byte[] pkcs8 = k.getEncoded();
        // PKCS#8 PrivateKeyInfo = SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING { PKCS#1 } }: the last TLV.
        byte[] pkcs1 = lastTlvContent(pkcs8);
        Path f = dir.resolve("rsa.pem");
        Files.writeString(f, "Some text\n" + TestPki.pem("RSA PRIVATE KEY", pkcs1));
        assertEquals(k, PemFiles.privateKey(f));
    }

    @Test
    void pem_refusesEncryptedKeysAndFilesWithoutKeys() throws Exception {
        Path enc = dir.resolve("enc.pem");
        Files.writeString(enc, TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
        assertEquals(enc + ": encrypted private keys are not supported",
                assertThrows(IOException.class, () -> PemFiles.privateKey(enc)).getMessage());
        assertEquals(switchId.certificate() + ": no PEM private key (-----BEGIN PRIVATE KEY-----) found",
                assertThrows(IOException.class, () -> PemFiles.privateKey(switchId.certificate())).getMessage());
        assertEquals(switchId.privateKey() + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found",
                assertThrows(IOException.class, () -> PemFiles.certificates(switchId.privateKey())).getMessage());
    }

    /** The content of the last element of a DER SEQUENCE. */
    private static byte[] lastTlvContent(byte[] der) {
        int p = 1;
        p += lengthBytes(der, p);
        byte[] last = null;
        while (p < der.length) {
            int lenAt = p + 1;
            int len = length(der, lenAt);
            int start = lenAt + lengthBytes(der, lenAt);
            last = java.util.Arrays.copyOfRange(der, start, start + len);
            p = start + len;
        }
        return last;
    }

    private static int lengthBytes(byte[] der, int at) {
        int b = der[at] & 0xff;
        return b < 0x80 ? 1 : 1 + (b & 0x7f);
    }

    private static int length(byte[] der, int at) {
        int b = der[at] & 0xff;
        if (b < 0x80) {
            return b;
        }
        int n = 0;
        for (int i = 1; i <= (b & 0x7f); i++) {
            n = (n << 8) | (der[at + i] & 0xff);
        }
        return n;
    }
}
