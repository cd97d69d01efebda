package dev.ofswitch.ofswitch.channel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files OVS takes for TLS ({@code --private-key}, {@code --certificate}, {@code --ca-cert}) with the
 * JDK alone, and writes a certificate back (for {@code --bootstrap-ca-cert}).
 *
 * <pre>
 * -----BEGIN PRIVATE KEY-----          PKCS#8, what OpenSSL 3 (and so ovs-pki) writes: RSA, EC, DSA, Ed25519
 * -----BEGIN RSA PRIVATE KEY-----      PKCS#1, older OpenSSL: wrapped into PKCS#8 here
 * -----BEGIN CERTIFICATE-----          X.509; a file may hold several (a chain, or several CAs)
 * </pre>
 *
 * Text around the blocks (ovs-pki's certificates start with {@code openssl x509 -text}'s dump) is ignored. Encrypted keys are refused:
 * OVS has no way to take a passphrase either.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s:,-]*?)-----END \\1-----");

    private PemFiles() {
    }

    /** One PEM block: its label and its bytes. */
    private record Block(String label, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not a PEM file (binary content)");
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains("Proc-Type:") || m.group(1).startsWith("ENCRYPTED")) {
                throw new IOException(file + ": encrypted private keys are not supported");
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": bad base64 in the " + m.group(1) + " block");
            }
        }
        return out;
    }

    /** Every certificate in {@code file}, in file order. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.label.equals("CERTIFICATE") || b.label.equals("X509 CERTIFICATE")
                        || b.label.equals("TRUSTED CERTIFICATE")) {
                    certs.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": bad certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IOException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return certs;
    }

    /** The private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.label) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der);
                case "RSA PRIVATE KEY":
                    return pkcs8(file, rsaPkcs1ToPkcs8(b.der));
                case "EC PRIVATE KEY":
                case "DSA PRIVATE KEY":
                    throw new IOException(file + ": \"" + b.label + "\" keys are not supported; convert with "
                            + "\"openssl pkcs8 -topk8 -nocrypt\"");
                default:
                    break;
            }
        }
        throw new IOException(file + ": no PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // Not this algorithm: the key's own AlgorithmIdentifier decides which factory accepts it.
            }
        }
        throw new IOException(file + ": unreadable private key (not RSA, EC, EdDSA or DSA PKCS#8)");
    }

    /**
     * Wraps a PKCS#1 {@code RSAPrivateKey} into a PKCS#8 {@code PrivateKeyInfo}, which is all the JDK reads:
     * <pre>
     * SEQUENCE {
     *   INTEGER 0                                      version
     *   SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }    rsaEncryption
     *   OCTET STRING { the PKCS#1 bytes }
     * }
     * </pre>
     */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algorithm);
        body.writeBytes(octets);
        return der(0x30, body.toByteArray());
    }

    /** A DER TLV with a definite length. */
    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** {@code cert} as a PEM block. */
    public static String toPem(X509Certificate cert) throws IOException {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode certificate: " + e.getMessage(), e);
        }
    }
}
