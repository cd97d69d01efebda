package dev.ofswitch.ofswitch.channel;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS identity and trust of the switch's {@code ssl:} and {@code pssl:} connections, taken as ovs-vswitchd takes
 * them (OVS {@code lib/stream-ssl.c}):
 *
 * <table>
 * <caption>Files</caption>
 * <tr><th>ovs-vswitchd option</th><th>meaning</th></tr>
 * <tr><td>{@code --private-key=FILE}</td><td>PEM private key, the switch's identity</td></tr>
 * <tr><td>{@code --certificate=FILE}</td><td>PEM certificate (chain) for that key</td></tr>
 * <tr><td>{@code --ca-cert=FILE}</td><td>PEM CA certificate(s) a peer's certificate must be signed by;
 * {@code none} turns verification off (a security risk, logged)</td></tr>
 * <tr><td>{@code --bootstrap-ca-cert=FILE}</td><td>as {@code --ca-cert} if FILE exists; otherwise the first
 * {@code ssl:} connection takes the CA certificate the peer sends last in its chain (it must be self-signed), saves
 * it to FILE, drops that connection and trusts only that CA from then on</td></tr>
 * </table>
 *
 * Authentication is mutual, as in OVS ({@code SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT} on both sides): a
 * passive listener requires the client's certificate, an active connection verifies the controller's. Host names are
 * not checked (OVS does not either: the CA is the trust). TLS 1.2 and 1.3 with the JDK's provider and its default
 * cipher suites; OVS's {@code --ssl-protocols} and {@code --ssl-ciphers} are not offered, and files are read once at
 * start (OVS re-reads them when they change).
 *
 * <h2>Thread-safety</h2> Immutable except for the bootstrap trust, which switches from "learn" to "verify" once,
 * under its own lock.
 */
public final class TlsSettings {
    private static final Logger log = LoggerFactory.getLogger(TlsSettings.class);
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Path privateKey;
    private final Path certificate;
    private final Path caCert;
    private final boolean bootstrapCaCert;
    /** False with {@code --ca-cert=none}. */
    private final boolean verifyPeer;
    /** Whether {@code --ca-cert} or {@code --bootstrap-ca-cert} was given. */
    private final boolean caConfigured;

    private TlsSettings(Path privateKey, Path certificate, Path caCert, boolean bootstrapCaCert, boolean verifyPeer,
                        boolean caConfigured) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.caCert = caCert;
        this.bootstrapCaCert = bootstrapCaCert;
        this.verifyPeer = verifyPeer;
        this.caConfigured = caConfigured;
    }

    /**
     * Settings from ovs-vswitchd's options; any may be null (missing ones are reported when a TLS target needs them).
     *
     * @param caCert          a file, or {@code none}
     * @param bootstrapCaCert a file (used when {@code caCert} is null)
     */
    public static TlsSettings of(Path privateKey, Path certificate, String caCert, Path bootstrapCaCert) {
        if (caCert != null && bootstrapCaCert != null) {
            throw new IllegalArgumentException("--ca-cert and --bootstrap-ca-cert are mutually exclusive");
        }
        Path ca = caCert != null ? (caCert.equals("none") ? null : Path.of(caCert)) : bootstrapCaCert;
        if ("none".equals(caCert)) {
            log.warn("Peer certificate validation disabled (this is a security risk)");
        }
        return new TlsSettings(privateKey, certificate, ca, bootstrapCaCert != null, !"none".equals(caCert),
                caCert != null || bootstrapCaCert != null);
    }

    /** Whether any file is configured (OVS {@code stream_ssl_is_configured()}). */
    public boolean isConfigured() {
        return privateKey != null || certificate != null || caConfigured;
    }

    /**
     * Checks that a TLS target can be used, with OVS's messages.
     *
     * @throws IllegalArgumentException naming each missing setting
     */
    void requireComplete() {
        StringBuilder missing = new StringBuilder();
        if (privateKey == null) {
            missing.append("Private key must be configured to use SSL (--private-key)");
        }
        if (certificate == null) {
            missing.append(missing.length() > 0 ? "; " : "").append("Certificate must be configured to use SSL "
                    + "(--certificate)");
        }
        if (!caConfigured) {
            missing.append(missing.length() > 0 ? "; " : "").append("CA certificate must be configured to use SSL "
                    + "(--ca-cert or --bootstrap-ca-cert)");
        }
        if (missing.length() > 0) {
            throw new IllegalArgumentException(missing.toString());
        }
    }

    /** The context of {@code pssl:} listeners: our identity, and a client certificate is required. */
    SslContext serverContext() throws IOException {
        requireComplete();
        Identity id = identity();
        SslContextBuilder b = SslContextBuilder.forServer(id.key, id.chain).sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS);
        if (!verifyPeer) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).clientAuth(ClientAuth.NONE);
        } else {
            if (caCert == null || !Files.exists(caCert)) {
                // OVS cannot accept anyone either before a bootstrap made the file (its trust store is empty).
                throw new IOException("pssl: needs the CA certificate " + caCert + ", which does not exist "
                        + "(--bootstrap-ca-cert learns it only on an active ssl: connection)");
            }
            b.trustManager(PemFiles.certificates(caCert)).clientAuth(ClientAuth.REQUIRE);
        }
        return build(b);
    }

    /** The context of {@code ssl:} connections to controllers. */
    SslContext clientContext() throws IOException {
        requireComplete();
        Identity id = identity();
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                .keyManager(id.key, id.chain).endpointIdentificationAlgorithm(null);
        if (!verifyPeer) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (bootstrapCaCert && !Files.exists(caCert)) {
            b.trustManager(new BootstrapTrustManager(caCert));
        } else {
            b.trustManager(PemFiles.certificates(caCert));
        }
        return build(b);
    }

    private static SslContext build(SslContextBuilder b) throws IOException {
        try {
            return b.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private record Identity(PrivateKey key, X509Certificate[] chain) {
    }

    private Identity identity() throws IOException {
        PrivateKey key = PemFiles.privateKey(privateKey);
        List<X509Certificate> chain = PemFiles.certificates(certificate);
        if (!matches(key, chain.get(0).getPublicKey())) {
            // OVS: "Private key does not match certificate public key".
            throw new IOException("Private key " + privateKey + " does not match certificate public key of "
                    + certificate);
        }
        return new Identity(key, chain.toArray(new X509Certificate[0]));
    }

    /** Whether {@code key} signs what {@code pub} verifies (OpenSSL's {@code SSL_CTX_check_private_key()}). */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm();     // Ed25519, Ed448
        };
        byte[] data = "ofswitch key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(data);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * {@code --bootstrap-ca-cert} on an active connection (OVS {@code do_ca_cert_bootstrap()}): while the file does not
     * exist, the first peer's chain is not verified; its last certificate, which must be self-signed, is saved to the
     * file and the handshake is failed on purpose so that the connection is retried, verified this time. From then on
     * every peer is verified against that CA.
     */
    static final class BootstrapTrustManager implements X509TrustManager {
        private final Path file;
        /** Null until bootstrapped. Guarded by {@code this}. */
        private X509TrustManager verifier;

        BootstrapTrustManager(Path file) {
            this.file = file;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current(chain).checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current(chain).checkServerTrusted(chain, authType);
        }

        @Override
        public synchronized X509Certificate[] getAcceptedIssuers() {
            return verifier == null ? new X509Certificate[0] : verifier.getAcceptedIssuers();
        }

        private synchronized X509TrustManager current(X509Certificate[] chain) throws CertificateException {
            if (verifier != null) {
                return verifier;
            }
            if (Files.exists(file)) {
                // Another connection (or process) bootstrapped meanwhile.
                verifier = load(file);
                return verifier;
            }
            if (chain == null || chain.length == 0) {
                throw new CertificateException("could not bootstrap CA cert: no certificate presented by peer");
            }
            X509Certificate ca = chain[chain.length - 1];
            try {
                ca.verify(ca.getPublicKey());
                if (!ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
                    throw new GeneralSecurityException("issuer differs from subject");
                }
            } catch (GeneralSecurityException e) {
                throw new CertificateException("could not bootstrap CA cert: obtained certificate is not "
                        + "self-signed" + (chain.length < 2 ? " (only one certificate was received, so probably "
                        + "the peer is not configured to send its CA certificate)" : ""));
            }
            try {
                Files.writeString(file, PemFiles.toPem(ca), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                verifier = load(file);
                return verifier;
            } catch (IOException e) {
                throw new CertificateException("could not bootstrap CA cert: creating " + file + " failed: " + e);
            }
            log.info("successfully bootstrapped CA cert to {}; trusting {} (sha1 fingerprint {})", file,
                    ca.getSubjectX500Principal(), fingerprint(ca));
            verifier = load(file);
            throw new CertificateException("killing successful connection to retry using CA cert " + file);
        }

        private static X509TrustManager load(Path file) throws CertificateException {
            try {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                for (X509Certificate c : PemFiles.certificates(file)) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                for (TrustManager tm : tmf.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        return x;
                    }
                }
                throw new CertificateException("no X.509 trust manager");
            } catch (IOException | GeneralSecurityException e) {
                throw new CertificateException("reading " + file + ": " + e.getMessage(), e);
            }
        }

        private static String fingerprint(X509Certificate c) {
            try {
                return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(c.getEncoded()));
            } catch (GeneralSecurityException e) {
                return "?";
            }
        }
    }

    @Override
    public String toString() {
        return "TlsSettings{privateKey=" + privateKey + ", certificate=" + certificate + ", caCert="
                + (verifyPeer ? caCert : "none") + (bootstrapCaCert ? " (bootstrap)" : "") + "}";
    }
}
