package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.channel.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests, made in the test's directory in the shape OVS's {@code ovs-pki} gives them: two CAs,
 * {@code switchca} and {@code controllerca}, each signing identities of its kind; every file PEM.
 *
 * <p>Two makers: {@link #ovsPki} runs {@code ovs-pki} (the real tool; skips loudly when it is not installed) and
 * {@link #inJava} signs RSA certificates in the test's own JVM (DER written by hand, JDK only), so the TLS tests also
 * run where OVS is not installed, and quickly (keytool costs a JVM start per step).
 */
final class TestPki {
    /** A private key and its certificate (chain). */
    record Identity(Path privateKey, Path certificate) {
        /** The certificate file's first certificate. */
        X509Certificate cert() throws IOException {
            return certificates(certificate).get(0);
        }
    }

    /** Password of the in-memory key stores of {@link #sslContext}. */
    private static final String PASS = "changeit";

    /**
     * What a TLS test needs: the PKI, the switch's identity ({@code sw}), a controller's ({@code ctl}), and a rogue one
     * ({@code rogue}) signed by the switch CA, which the switch does not accept from its peers.
     */
    record Fixture(TestPki pki, Identity switchId, Identity controllerId, Identity rogueId) {
    }

    /** The identities of a {@link Fixture}, made in {@code pki}. */
    static Fixture fixture(TestPki pki) throws IOException {
        return new Fixture(pki, pki.identity("sw", "switch"), pki.identity("ctl", "controller"),
                pki.identity("rogue", "switch"));
    }

    private final Path dir;
    private final boolean useOvsPki;

    private TestPki(Path dir, boolean useOvsPki) {
        this.dir = dir;
        this.useOvsPki = useOvsPki;
    }

    /** A PKI made by {@code ovs-pki init} in {@code dir}. */
    static TestPki ovsPki(Path dir) {
        Tools.require("TLS with ovs-pki's certificates", "ovs-pki");
        TestPki p = new TestPki(dir, true);
        p.ovsPkiRun("init");
        return p;
    }

    /** A PKI made in Java alone (no tool, no BouncyCastle) in {@code dir}. */
    static TestPki inJava(Path dir) throws IOException {
        TestPki p = new TestPki(dir, false);
        p.javaCa("switchca");
        p.javaCa("controllerca");
        return p;
    }

    /** The CA certificate that signs switch identities. */
    Path switchCa() {
        return dir.resolve("switchca/cacert.pem");
    }

    /** The CA certificate that signs controller identities. */
    Path controllerCa() {
        return dir.resolve("controllerca/cacert.pem");
    }

    /** A new identity {@code name} signed by the CA of {@code type} ({@code switch} or {@code controller}). */
    Identity identity(String name, String type) throws IOException {
        if (useOvsPki) {
            ovsPkiRun("-b", "-u", "req+sign", name, type);
            return new Identity(dir.resolve(name + "-privkey.pem"), dir.resolve(name + "-cert.pem"));
        }
        return javaIdentity(name, type.equals("switch") ? "switchca" : "controllerca");
    }

    /**
     * A certificate file holding {@code id}'s certificate followed by its CA's (what a peer sends so that the other
     * side can bootstrap its CA, ovs-pki's {@code --peer-ca-cert}).
     */
    Path chainWithCa(Identity id, String type) throws IOException {
        Path ca = type.equals("switch") ? switchCa() : controllerCa();
        Path out = dir.resolve(id.certificate().getFileName() + ".chain.pem");
        Files.writeString(out, pemOf(id.certificate()) + pemOf(ca));
        return out;
    }

    /** A JDK SSLContext with {@code id} as identity, trusting {@code ca} (for Java-side test peers). */
    static SSLContext sslContext(Identity id, Path ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        List<X509Certificate> chain = certificates(id.certificate());
        ks.setKeyEntry("me", privateKey(id.privateKey()), PASS.toCharArray(), chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS.toCharArray());
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate c : certificates(ca)) {
            ts.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    // ------------------------------------------------------------------------------------------ ovs-pki

    private void ovsPkiRun(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-pki", "--dir=" + dir, "--log=" + dir.resolve("pki.log"),
                "--force"));
        cmd.addAll(List.of(args));
        // ovs-pki writes NAME-privkey.pem and friends into its working directory.
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("ovs-pki " + String.join(" ", args) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run ovs-pki", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------------------ in Java

    /** An in-Java CA: its key and certificate. */
    private record Ca(PrivateKey key, X509Certificate cert) {
    }

    private final java.util.Map<String, Ca> cas = new java.util.HashMap<>();
    private long serial = 1;

    private void javaCa(String name) throws IOException {
        KeyPair kp = rsaKeyPair();
        byte[] dn = name("OVS " + name + " CA");
        X509Certificate cert = sign(dn, dn, kp.getPublic(), kp.getPrivate(), true);
        cas.put(name, new Ca(kp.getPrivate(), cert));
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("cacert.pem"), PemFiles.toPem(cert));
    }

    private Identity javaIdentity(String name, String ca) throws IOException {
        Ca issuer = cas.get(ca);
        KeyPair kp = rsaKeyPair();
        X509Certificate cert = sign(name(name), issuer.cert.getSubjectX500Principal().getEncoded(), kp.getPublic(),
                issuer.key, false);
        Path key = dir.resolve(name + "-privkey.pem");
        Path crt = dir.resolve(name + "-cert.pem");
        Files.writeString(key, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        Files.writeString(crt, PemFiles.toPem(cert));
        return new Identity(key, crt);
    }

    private static KeyPair rsaKeyPair() throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /**
     * An X.509 v3 certificate (RFC 5280 section 4.1), DER-encoded by hand: valid from a day ago for 30 days, signed
     * SHA256withRSA; a CA gets a critical basicConstraints cA=TRUE.
     */
    private X509Certificate sign(byte[] subject, byte[] issuer, PublicKey pub, PrivateKey signer, boolean ca)
            throws IOException {
        byte[] sha256WithRsa = der(0x30, concat(der(0x06, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b}), new byte[] {0x05, 0x00}));
        java.time.format.DateTimeFormatter utc = java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        java.time.Instant now = java.time.Instant.now();
        byte[] validity = der(0x30, concat(
                der(0x17, utc.format(now.minus(java.time.Duration.ofDays(1))).getBytes(StandardCharsets.US_ASCII)),
                der(0x17, utc.format(now.plus(java.time.Duration.ofDays(30))).getBytes(StandardCharsets.US_ASCII))));
        byte[] extensions = new byte[0];
        if (ca) {
            byte[] basicConstraints = der(0x30, concat(der(0x06, new byte[] {0x55, 0x1d, 0x13}),
                    new byte[] {0x01, 0x01, (byte) 0xff},
                    der(0x04, der(0x30, new byte[] {0x01, 0x01, (byte) 0xff}))));
            extensions = der(0xa3, der(0x30, basicConstraints));
        }
        byte[] tbs = der(0x30, concat(der(0xa0, new byte[] {0x02, 0x01, 0x02}),
                der(0x02, java.math.BigInteger.valueOf(serial++).toByteArray()), sha256WithRsa, issuer, validity,
                subject, pub.getEncoded(), extensions));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(signer);
            s.update(tbs);
            byte[] sig = s.sign();
            byte[] bits = concat(new byte[] {0}, sig);
            byte[] cert = der(0x30, concat(tbs, sha256WithRsa, der(0x03, bits)));
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(cert));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("signing a test certificate: " + e, e);
        }
    }

    /** The DER of {@code CN=cn,O=ofswitch tests}. */
    private static byte[] name(String cn) {
        return der(0x30, concat(rdn(new byte[] {0x55, 0x04, 0x03}, cn), rdn(new byte[] {0x55, 0x04, 0x0a},
                "ofswitch tests")));
    }

    private static byte[] rdn(byte[] oid, String value) {
        return der(0x31, der(0x30, concat(der(0x06, oid), der(0x0c, value.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] der(int tag, byte[] content) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------ PEM

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** The certificates of {@code file} as PEM text (text around them, as ovs-pki writes, left out). */
    static String pemOf(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certificates(file)) {
            sb.append(PemFiles.toPem(c));
        }
        return sb.toString();
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
        return PemFiles.certificates(file);
    }

    static PrivateKey privateKey(Path file) throws IOException {
        return PemFiles.privateKey(file);
    }
}
