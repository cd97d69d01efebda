package dev.ofswitch.conntrack;

/**
 * IPv4/IPv6 address text as OVS prints it: dotted quads, and IPv6 in glibc {@code inet_ntop()} form (lowercase hex,
 * the longest run of two or more zero groups compressed, the first on a tie; {@code ::a.b.c.d} and
 * {@code ::ffff:a.b.c.d} for IPv4-compatible and -mapped addresses). Parsing accepts what {@code inet_pton()} does.
 * Stateless.
 */
public final class Addresses {
    private Addresses() {
    }

    /** Formats the IPv4 address in the low 32 bits of {@code addr}. */
    public static String ipv4(long addr) {
        return ((addr >>> 24) & 0xff) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }

    /** Formats the IPv6 address {@code hi:lo} like {@code inet_ntop()}. */
    public static String ipv6(long hi, long lo) {
        int[] w = new int[8];
        for (int i = 0; i < 4; i++) {
            w[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            w[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            // An encapsulated IPv4 address: ::a.b.c.d or ::ffff:a.b.c.d.
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(ipv4(lo & 0xffffffffL));
                break;
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    /** Parses a dotted-quad IPv4 address; returns it in the low 32 bits, or -1 if {@code s} is not one. */
    public static long parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long v = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3) {
                return -1;
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                return -1;
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    /**
     * Parses an IPv6 address (with {@code ::} compression and an optional trailing dotted quad) into {@code out[0]}
     * (high) and {@code out[1]} (low). Returns false if {@code s} is not one.
     */
    public static boolean parseIpv6(String s, long[] out) {
        if (s.isEmpty()) {
            return false;
        }
        int[] words = new int[8];
        int n = 0;
        int gap = -1;
        int i = 0;
        int len = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == len) {
                out[0] = 0;
                out[1] = 0;
                return true;
            }
        } else if (s.charAt(0) == ':') {
            return false;
        }
        while (i < len) {
            int next = s.indexOf(':', i);
            String group = next < 0 ? s.substring(i) : s.substring(i, next);
            if (group.indexOf('.') >= 0) {
                if (next >= 0 || n > 6) {
                    return false;
                }
                long v4 = parseIpv4(group);
                if (v4 < 0) {
                    return false;
                }
                words[n++] = (int) (v4 >>> 16);
                words[n++] = (int) (v4 & 0xffff);
                i = len;
                break;
            }
            if (group.isEmpty() || group.length() > 4 || n >= 8) {
                return false;
            }
            int v = 0;
            for (int j = 0; j < group.length(); j++) {
                int d = Character.digit(group.charAt(j), 16);
                if (d < 0) {
                    return false;
                }
                v = (v << 4) | d;
            }
            words[n++] = v;
            if (next < 0) {
                i = len;
                break;
            }
            i = next + 1;
            if (i < len && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = n;
                i++;
            } else if (i == len) {
                return false;   // a trailing single colon
            }
        }
        if (gap >= 0) {
            if (n > 7) {
                return false;
            }
            int move = n - gap;
            for (int j = 0; j < move; j++) {
                words[7 - j] = words[n - 1 - j];
            }
            for (int j = gap; j < 8 - move; j++) {
                words[j] = 0;
            }
        } else if (n != 8) {
            return false;
        }
        long hi = 0;
        long lo = 0;
        for (int j = 0; j < 4; j++) {
            hi = (hi << 16) | words[j];
            lo = (lo << 16) | words[j + 4];
        }
        out[0] = hi;
        out[1] = lo;
        return true;
    }
}
