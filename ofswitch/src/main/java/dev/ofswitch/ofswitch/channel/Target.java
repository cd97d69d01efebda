package dev.ofswitch.ofswitch.channel;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * An OpenFlow connection target in OVS's syntax: passive {@code ptcp:PORT[:IP]} and {@code punix:PATH}, active
 * {@code tcp:IP[:PORT]} (default port 6653). Immutable.
 *
 * @param kind    the scheme
 * @param host    IP address to bind or connect to (ptcp default: every address, as OVS)
 * @param port    TCP port
 * @param path    unix socket path (punix)
 */
public record Target(Scheme kind, String host, int port, Path path) {
    /** Connection schemes. */
    public enum Scheme {
        PTCP, PUNIX, TCP
    }

    /** The IANA OpenFlow port, OVS's default for {@code tcp:IP}. */
    public static final int DEFAULT_PORT = 6653;

    /**
     * Parses a target.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Target parse(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("\"" + s + "\": not a connection target (expected ptcp:PORT[:IP], "
                    + "punix:PATH or tcp:IP[:PORT])");
        }
        String scheme = s.substring(0, colon);
        String rest = s.substring(colon + 1);
        switch (scheme) {
            case "ptcp": {
                String[] parts = rest.split(":", 2);
                int port = parts[0].isEmpty() ? DEFAULT_PORT : parsePort(parts[0], s);
                String host = parts.length > 1 ? stripBrackets(parts[1]) : "0.0.0.0";
                return new Target(Scheme.PTCP, host, port, null);
            }
            case "punix":
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("\"" + s + "\": punix needs a socket path");
                }
                return new Target(Scheme.PUNIX, null, 0, Path.of(rest));
            case "tcp": {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("\"" + s + "\": tcp needs an IP address");
                }
                int last = rest.lastIndexOf(':');
                boolean bracketed = rest.startsWith("[");
                String host;
                int port = DEFAULT_PORT;
                if (bracketed) {
                    int close = rest.indexOf(']');
                    host = rest.substring(1, close);
                    if (close + 1 < rest.length()) {
                        port = parsePort(rest.substring(close + 2), s);
                    }
                } else if (last >= 0 && rest.indexOf(':') == last) {
                    host = rest.substring(0, last);
                    port = parsePort(rest.substring(last + 1), s);
                } else {
                    host = rest;
                }
                return new Target(Scheme.TCP, host, port, null);
            }
            default:
                throw new IllegalArgumentException("\"" + s + "\": unknown connection type \"" + scheme
                        + "\" (expected ptcp, punix or tcp)");
        }
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

    public boolean isPassive() {
        return kind != Scheme.TCP;
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        switch (kind) {
            case PTCP:
                return "ptcp:" + port + ":" + host;
            case PUNIX:
                return "punix:" + path;
            default:
                return "tcp:" + host + ":" + port;
        }
    }
}
