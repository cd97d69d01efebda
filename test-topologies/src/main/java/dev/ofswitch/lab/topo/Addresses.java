package dev.ofswitch.lab.topo;

/**
 * IPv4 and MAC address text, and Mininet's default host addressing ({@code ipAdd()} and {@code macColonHex()} in
 * {@code mininet/util.py}). Addresses are held as {@code int} (IPv4) and {@code long} (48-bit MAC).
 */
final class Addresses {
    /** Mininet's {@code --ipbase} default, {@code 10.0.0.0/8}. */
    static final int DEFAULT_IP_BASE = 0x0a000000;
    static final int DEFAULT_PREFIX_LENGTH = 8;

    private Addresses() {
    }

    /**
     * Parses a dotted quad ({@code 10.0.0.1}): four decimal octets 0..255 without signs or leading zeros.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static int parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("expected four numbers separated by dots, e.g. 10.0.0.1");
        }
        int ip = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("\"" + p + "\" is not a number from 0 to 255");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException(v + " is more than 255");
            }
            ip = (ip << 8) | v;
        }
        return ip;
    }

    static String ipv4(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    /** The netmask of a prefix length 0..32. */
    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /**
     * The {@code i}th host address of a subnet, as Mininet's {@code ipAdd(i, prefixLen, ipBaseNum)}: the base's
     * network part plus {@code i}. So with 10.0.0.0/8, host 1 is 10.0.0.1 and host 256 is 10.0.1.0, as in Mininet.
     */
    static int ipAdd(int i, int prefixLength, int base) {
        return (base & mask(prefixLength)) + i;
    }

    /**
     * Parses {@code 00:00:00:00:00:0a} (either case).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static long parseMac(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("expected six hex bytes separated by colons, e.g. 00:00:00:00:00:01");
        }
        long mac = 0;
        for (String p : parts) {
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("\"" + p + "\" is not two hex digits");
            }
            mac = (mac << 8) | Integer.parseInt(p, 16);
        }
        return mac;
    }

    /** Lower-case colon hex, as Mininet's {@code macColonHex()}: 10 is {@code 00:00:00:00:00:0a}. */
    static String mac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xff;
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
