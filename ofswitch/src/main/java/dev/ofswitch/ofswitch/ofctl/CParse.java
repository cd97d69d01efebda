package dev.ofswitch.ofswitch.ofctl;

/**
 * The C library and OVS {@code lib/util.c} / {@code lib/ofp-parse.c} number parsers that ovs-ofctl's flow syntax is
 * built on, with their quirks: {@code strtoull()} base 0 reads {@code 010} as octal 8 and wraps {@code -1} to all
 * ones; {@code parse_int_string()} reads hex of any length (skipping blanks between digits) but decimal only up to 64
 * bits; {@code str_to_u16()} goes through {@code strtoll()} and a range check. The error texts are OVS's.
 *
 * <p>Every method works on a Java string standing for a C string: index {@code s.length()} is the terminating NUL.
 * {@link #scanUnsigned} is public for the unixctl commands, whose arguments OVS reads with the same {@code ovs_scan()}.
 */
public final class CParse {
    private CParse() {
    }

    /** The result of a C {@code strto*()} call: the value, the index just after what was read, and ERANGE. */
    public record Num(long value, int end, boolean erange) {
    }

    /** The character at {@code i}, or NUL past the end (C string semantics). */
    static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    /** C {@code isspace()} in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    static int hexit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static int digit(char c, int base) {
        int d = hexit(c);
        if (d < 0) {
            if (c >= 'g' && c <= 'z') {
                d = c - 'a' + 10;
            } else if (c >= 'G' && c <= 'Z') {
                d = c - 'A' + 10;
            }
        }
        return d >= 0 && d < base ? d : -1;
    }

    /**
     * glibc {@code strtoull(s + from, &end, base)}: blanks, an optional sign, a base prefix for base 0/16, digits. No
     * digits: value 0 and {@code end == from}. Overflow: all ones and ERANGE. A minus sign negates (wraps).
     */
    static Num strtoull(String s, int from, int base) {
        int i = from;
        while (isSpace(at(s, i))) {
            i++;
        }
        boolean neg = false;
        if (at(s, i) == '+' || at(s, i) == '-') {
            neg = at(s, i) == '-';
            i++;
        }
        if ((base == 0 || base == 16) && at(s, i) == '0' && (at(s, i + 1) == 'x' || at(s, i + 1) == 'X')
                && digit(at(s, i + 2), 16) >= 0) {
            i += 2;
            base = 16;
        } else if (base == 0) {
            base = at(s, i) == '0' ? 8 : 10;
        }
        int start = i;
        long v = 0;
        boolean overflow = false;
        for (int d; (d = digit(at(s, i), base)) >= 0; i++) {
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            v = v * base + d;
        }
        if (i == start) {
            return new Num(0, from, false);
        }
        if (overflow) {
            return new Num(-1L, i, true);
        }
        return new Num(neg ? -v : v, i, false);
    }

    /** glibc {@code strtoll()}: like {@link #strtoull} but signed, clamping with ERANGE outside [MIN, MAX]. */
    static Num strtoll(String s, int from, int base) {
        int i = from;
        while (isSpace(at(s, i))) {
            i++;
        }
        boolean neg = at(s, i) == '-';
        Num u = strtoull(s, from, base);
        if (u.end() == from) {
            return u;
        }
        if (u.erange()) {
            return new Num(neg ? Long.MIN_VALUE : Long.MAX_VALUE, u.end(), true);
        }
        long mag = neg ? -u.value() : u.value();
        if (mag < 0 && !(neg && mag == Long.MIN_VALUE)) {
            return new Num(neg ? Long.MIN_VALUE : Long.MAX_VALUE, u.end(), true);
        }
        return new Num(neg ? -mag : mag, u.end(), false);
    }

    /** OVS {@code str_to_llong()}: the whole string must be one number. Null if not. */
    static Long strToLlong(String s, int base) {
        Num n = strtoll(s, 0, base);
        if (n.erange() || n.end() == 0 || n.end() != s.length()) {
            return null;
        }
        return n.value();
    }

    /** OVS {@code str_to_int()}: a whole-string {@code int}. Null if not. */
    static Integer strToInt(String s, int base) {
        Long l = strToLlong(s, base);
        return l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? null : (int) (long) l;
    }

    /** OVS {@code str_to_uint()}: a whole-string {@code unsigned int}. Null if not. */
    static Long strToUint(String s, int base) {
        Long l = strToLlong(s, base);
        return l == null || l < 0 || l > 0xffffffffL ? null : l;
    }

    /** OVS {@code str_to_u8()}: {@code invalid NAME "STR"} unless 0..255. */
    static int strToU8(String s, String name) throws OfctlParseException {
        Integer v = strToInt(s, 0);
        if (v == null || v < 0 || v > 255) {
            throw new OfctlParseException("invalid " + name + " \"" + s + "\"", s);
        }
        return v;
    }

    /** OVS {@code str_to_u16()}: {@code invalid NAME "STR"} unless 0..65535. */
    static int strToU16(String s, String name) throws OfctlParseException {
        Integer v = strToInt(s, 0);
        if (v == null || v < 0 || v > 65535) {
            throw new OfctlParseException("invalid " + name + " \"" + s + "\"", s);
        }
        return v;
    }

    /** OVS {@code str_to_u32()}: {@code strtoul()} base 0 truncated to 32 bits. */
    static long strToU32(String s) throws OfctlParseException {
        return strToU64(s) & 0xffffffffL;
    }

    /** OVS {@code str_to_u64()} / {@code str_to_be64()}. */
    static long strToU64(String s) throws OfctlParseException {
        if (s.isEmpty()) {
            throw new OfctlParseException("missing required numeric argument", s);
        }
        Num n = strtoull(s, 0, 0);
        if (n.erange() || n.end() != s.length()) {
            throw new OfctlParseException("invalid numeric format " + s, s);
        }
        return n.value();
    }

    /** C {@code atoi()}: leading number, 0 if none, wrapping to 32 bits. */
    static int atoi(String s) {
        Num n = strtoll(s, 0, 10);
        return (int) n.value();
    }

    /**
     * The result of {@link #parseIntString}: ERANGE (too large), EINVAL (glibc's strtoull() found no digits), the
     * value, and where parsing stopped.
     */
    record IntString(boolean erange, boolean einval, byte[] value, int tail) {
        /** Whether parse_int_string() returned an error. */
        boolean error() {
            return erange || einval;
        }
    }

    /**
     * OVS {@code parse_int_string(s, value, width, &tail)}: "0x" then any number of hex digits (blanks between them
     * skipped, leading zeros free) right-justified into {@code width} bytes, or a {@code strtoull()} base-0 number
     * of at most 64 bits. ERANGE if the value does not fit.
     */
    static IntString parseIntString(String s, int from, int width) {
        byte[] v = new byte[width];
        if (s.startsWith("0x", from) || s.startsWith("0X", from)) {
            int i = from + 2;
            StringBuilder hex = new StringBuilder();
            while (true) {
                while (" \t\r\n".indexOf(at(s, i)) >= 0 && at(s, i) != '\0') {
                    i++;
                }
                int h = hexit(at(s, i));
                if (h < 0) {
                    break;
                }
                if (h != 0 || hex.length() > 0) {
                    if ((hex.length() + 2) / 2 > width) {
                        return new IntString(true, false, v, i);
                    }
                    hex.append(at(s, i));
                }
                i++;
            }
            int idx = width;
            for (int k = hex.length() - 1; k >= 0; k -= 2) {
                idx--;
                int b = hexit(hex.charAt(k));
                if (k > 0) {
                    b += hexit(hex.charAt(k - 1)) << 4;
                }
                v[idx] = (byte) b;
            }
            return new IntString(false, false, v, i);
        }
        Num n = strtoull(s, from, 0);
        if (n.erange()) {
            return new IntString(true, false, v, n.end());
        }
        if (n.end() == from) {
            // glibc sets EINVAL when strtoull() converts nothing.
            return new IntString(false, true, v, from);
        }
        long x = n.value();
        for (int k = width - 1; k >= 0; k--) {
            v[k] = (byte) x;
            x >>>= 8;
        }
        return new IntString(x != 0, false, v, n.end());
    }

    /**
     * An integer conversion of OVS {@code ovs_scan()} ({@code scan_int()} in {@code lib/util.c}): no blank skipping,
     * an optional sign, a "0x" prefix for base 16 (or base 0), then digits accumulated modulo 2^64 (no overflow
     * error), negated for '-', and stored truncated to {@code bits}. Returns null if there are no digits.
     */
    static Num scan(String s, int from, int base, int bits) {
        int i = from;
        boolean negative = at(s, i) == '-';
        if (at(s, i) == '-' || at(s, i) == '+') {
            i++;
        }
        if ((base == 0 || base == 16) && at(s, i) == '0' && (at(s, i + 1) == 'x' || at(s, i + 1) == 'X')) {
            base = 16;
            i += 2;
        } else if (base == 0) {
            base = at(s, i) == '0' ? 8 : 10;
        }
        int start = i;
        long v = 0;
        for (int d; (d = hexit(at(s, i))) >= 0 && d < base; i++) {
            v = v * base + d;
        }
        if (i == start) {
            return null;
        }
        if (negative) {
            v = -v;
        }
        long mask = bits >= 64 ? -1L : (1L << bits) - 1;
        return new Num(v & mask, i, false);
    }

    /** {@code %u}-style conversions ({@code %hhu}, {@code %hu}, {@code %hhx}): {@link #scan} unsigned. */
    public static Num scanUnsigned(String s, int from, int base, int bits) {
        return scan(s, from, base, bits);
    }

    /** {@code %d}: {@link #scan} base 10, as a signed 32-bit int. */
    static Num scanInt(String s, int from) {
        Num n = scan(s, from, 10, 32);
        return n == null ? null : new Num((int) n.value(), n.end(), false);
    }

    /** {@code %i} (SCNi32): {@link #scan} base 0, as a signed 32-bit int. */
    static Num scanI32(String s, int from) {
        Num n = scan(s, from, 0, 32);
        return n == null ? null : new Num((int) n.value(), n.end(), false);
    }

    /** {@code %lli}: {@link #scan} base 0, 64 bits. */
    static Num scanI64(String s, int from) {
        return scan(s, from, 0, 64);
    }
}
