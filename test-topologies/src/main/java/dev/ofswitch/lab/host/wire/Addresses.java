package dev.ofswitch.lab.host.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv4 addresses as {@code int}s (network order: {@code 10.0.0.1} is {@code 0x0a000001}) and MAC addresses as the low
 * 48 bits of a {@code long}, with parsing, formatting and byte-array access.
 */
public final class Addresses {
    /** {@code ff:ff:ff:ff:ff:ff}. */
    public static final long BROADCAST_MAC = 0xffff_ffff_ffffL;

    private Addresses() {
    }

    /** Parses a dotted-quad IPv4 address; throws {@link IllegalArgumentException} on anything else. */
    public static int parseIpv4(String s) {
        String[] parts = s.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        int ip = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            ip = (ip << 8) | v;
        }
        return ip;
    }

    /** Formats an IPv4 address as a dotted quad. */
    public static String formatIpv4(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    /** The {@code int} form of an IPv4 address; {@link IllegalArgumentException} for IPv6. */
    public static int ipv4(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("only IPv4 is supported: " + address);
        }
        byte[] b = address.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** The {@link Inet4Address} of an {@code int} address (no name lookup). */
    public static Inet4Address inet4(int ip) {
        byte[] b = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always a valid address", e);
        }
    }

    /** Parses a dotted-quad literal into an {@link Inet4Address}, without a name lookup. */
    public static Inet4Address inet4(String dottedQuad) {
        return inet4(parseIpv4(dottedQuad));
    }

    /** The netmask of a prefix length 0..32 ({@code 24} is {@code 0xffffff00}). */
    public static int netmask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + prefixLength);
        }
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** Parses {@code 00:11:22:33:44:55} (or with {@code -}); throws {@link IllegalArgumentException} otherwise. */
    public static long parseMac(String s) {
        String[] parts = s.trim().split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + s);
        }
        long mac = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + s);
            }
            try {
                mac = (mac << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: " + s, e);
            }
        }
        return mac;
    }

    /** Formats a MAC address as six lower-case hex pairs joined by colons. */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Reads a MAC address at {@code off}. */
    public static long readMac(byte[] f, int off) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (f[off + i] & 0xff);
        }
        return mac;
    }

    /** Writes a MAC address at {@code off}. */
    public static void writeMac(byte[] f, int off, long mac) {
        for (int i = 0; i < 6; i++) {
            f[off + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    /** Whether the group bit is set (broadcast or multicast). */
    public static boolean isMulticastMac(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
