package dev.ofswitch.ofswitch.channel;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * An OpenFlow connection target in OVS's syntax. Immutable.
 *
 * <table>
 * <caption>Targets</caption>
 * <tr><th>syntax</th><th>kind</th><th>meaning</th></tr>
 * <tr><td>{@code ptcp:[PORT][:IP]}</td><td>passive</td><td>listen on TCP PORT (default 6653) of IP</td></tr>
 * <tr><td>{@code pssl:[PORT][:IP]}</td><td>passive</td><td>the same with TLS</td></tr>
 * <tr><td>{@code punix:PATH}</td><td>passive</td><td>listen on a unix socket, readable by its owner only</td></tr>
 * <tr><td>{@code tcp:IP[:PORT]}</td><td>active</td><td>connect to a controller (default port 6653)</td></tr>
 * <tr><td>{@code ssl:IP[:PORT]}</td><td>active</td><td>the same with TLS</td></tr>
 * </table>
 *
 * <p>Deliberate difference from OVS: a passive target without an IP listens on 127.0.0.1, not on every address, so
 * that a switch is reachable from this host only unless an address is named ({@code ptcp:6653:0.0.0.0} for OVS's
 * default).
 *
 * @param kind the scheme
 * @param host IP address to bind or connect to
 * @param port TCP port
 * @param path unix socket path (punix)
 */
public record Target(Scheme kind, String host, int port, Path path) {
    /** Connection schemes. */
    public enum Scheme {
        PTCP("ptcp"), PSSL("pssl"), PUNIX("punix"), TCP("tcp"), SSL("ssl");

        private final String prefix;

        Scheme(String prefix) {
            this.prefix = prefix;
        }

        /** The scheme as written before the colon. */
        public String prefix() {
            return prefix;
        }
    }

    /** The IANA OpenFlow port, OVS's default for {@code tcp:IP}. */
    public static final int DEFAULT_PORT = 6653;
    /** Where a passive target without an IP listens (OVS: every address; see the class comment). */
    public static final String DEFAULT_LISTEN_HOST = "127.0.0.1";

    /**
     * Parses a target.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Target parse(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("\"" + s + "\": not a connection target (expected ptcp:PORT[:IP], "
                    + "pssl:PORT[:IP], punix:PATH, tcp:IP[:PORT] or ssl:IP[:PORT])");
        }
        String scheme = s.substring(0, colon);
        String rest = s.substring(colon + 1);
        switch (scheme) {
            case "ptcp":
                return passive(Scheme.PTCP, rest, s);
            case "pssl":
                return passive(Scheme.PSSL, rest, s);
            case "punix":
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("\"" + s + "\": punix needs a socket path");
                }
                return new Target(Scheme.PUNIX, null, 0, Path.of(rest));
            case "tcp":
                return active(Scheme.TCP, rest, s);
            case "ssl":
                return active(Scheme.SSL, rest, s);
            default:
                throw new IllegalArgumentException("\"" + s + "\": unknown connection type \"" + scheme
                        + "\" (expected ptcp, pssl, punix, tcp or ssl)");
        }
    }

    private static Target passive(Scheme scheme, String rest, String whole) {
        String[] parts = rest.split(":", 2);
        int port = parts[0].isEmpty() ? DEFAULT_PORT : parsePort(parts[0], whole);
        String host = parts.length > 1 && !parts[1].isEmpty() ? stripBrackets(parts[1]) : DEFAULT_LISTEN_HOST;
        return new Target(scheme, host, port, null);
    }

    private static Target active(Scheme scheme, String rest, String whole) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("\"" + whole + "\": " + scheme.prefix + " needs an IP address");
        }
        int last = rest.lastIndexOf(':');
        String host;
        int port = DEFAULT_PORT;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("\"" + whole + "\": missing ']' after an IPv6 address");
            }
            host = rest.substring(1, close);
            if (close + 1 < rest.length()) {
                port = parsePort(rest.substring(close + 2), whole);
            }
        } else if (last >= 0 && rest.indexOf(':') == last) {
            host = rest.substring(0, last);
            port = parsePort(rest.substring(last + 1), whole);
        } else {
            host = rest;
        }
        return new Target(scheme, host, port, null);
    }

    private static String stripBrackets(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static int parsePort(String p, String whole) {
        try {
            int port = Integer.parseInt(p);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + whole + "\": bad port \"" + p + "\"");
        }
    }

    /** Whether this target listens ({@code ptcp}, {@code pssl}, {@code punix}). */
    public boolean isPassive() {
        return kind == Scheme.PTCP || kind == Scheme.PSSL || kind == Scheme.PUNIX;
    }

    /** Whether connections on this target use TLS ({@code ssl}, {@code pssl}). */
    public boolean isTls() {
        return kind == Scheme.SSL || kind == Scheme.PSSL;
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        switch (kind) {
            case PTCP:
            case PSSL:
                return kind.prefix + ":" + port + ":" + host;
            case PUNIX:
                return "punix:" + path;
            default:
                return kind.prefix + ":" + host + ":" + port;
        }
    }
}
