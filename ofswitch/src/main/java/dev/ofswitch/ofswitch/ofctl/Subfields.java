package dev.ofswitch.ofswitch.ofctl;

/**
 * OVS {@code mf_parse_subfield__()} ({@code lib/nx-match.c}): {@code NAME[]}, {@code NAME[BIT]},
 * {@code NAME[START..END]} or a bare {@code NAME} (the whole field). NAME is an NXM/OXM name
 * ({@code NXM_NX_REG0}, optionally with the {@code _W} suffix) or a field name ({@code reg0}).
 */
final class Subfields {
    private Subfields() {
    }

    /** A parsed subfield and where parsing stopped. */
    record Parsed(Ofpact.Subfield subfield, int end) {
    }

    /** Parses a subfield at the start of {@code s}; the rest is left to the caller. */
    static Parsed parsePrefix(String s) throws OfctlParseException {
        int nameLen = 0;
        while (nameLen < s.length() && s.charAt(nameLen) != '[' && s.charAt(nameLen) != '-') {
            nameLen++;
        }
        String name = s.substring(0, nameLen);
        String nxmName = name.length() > 2 && name.endsWith("_W") ? name.substring(0, name.length() - 2) : name;
        OvsField f = OvsField.byNxmName(nxmName);
        if (f == null) {
            f = OvsField.byName(name);
        }
        if (f == null) {
            if (OvsField.isUnsupported(nxmName) || OvsField.isUnsupported(name)) {
                throw unsupportedField(name);
            }
            throw new OfctlParseException(s + ": unknown field `" + name + "'", name);
        }
        int i = nameLen;
        int start = 0;
        int end = f.nBits() - 1;
        if (CParse.at(s, i) == '[') {
            if (s.startsWith("[]", i)) {
                // The whole field.
            } else {
                int[] range = scanRange(s, i);
                if (range == null) {
                    throw new OfctlParseException(s + ": syntax error expecting [] or [<bit>] or [<start>..<end>]", s);
                }
                start = range[0];
                end = range[1];
            }
            i = s.indexOf(']', i) + 1;
        }
        // OVS compares the (int) bits with the field's unsigned width: a negative bit is "not valid".
        if (start > end) {
            throw new OfctlParseException(s + ": starting bit " + start + " is after ending bit " + end, s);
        } else if (Integer.compareUnsigned(start, f.nBits()) >= 0) {
            throw new OfctlParseException(s + ": starting bit " + start + " is not valid because field is only "
                    + f.nBits() + " bits wide", s);
        } else if (Integer.compareUnsigned(end, f.nBits()) >= 0) {
            throw new OfctlParseException(s + ": ending bit " + end + " is not valid because field is only "
                    + f.nBits() + " bits wide", s);
        }
        return new Parsed(new Ofpact.Subfield(f, start, end - start + 1), i);
    }

    /** {@code ovs_scan(s, "[%d..%d]")} then {@code ovs_scan(s, "[%d]")}; null if neither matches. */
    private static int[] scanRange(String s, int at) {
        CParse.Num a = CParse.scanInt(s, at + 1);
        if (a == null) {
            return null;
        }
        int i = a.end();
        if (s.startsWith("..", i)) {
            CParse.Num b = CParse.scanInt(s, i + 2);
            if (b != null && CParse.at(s, b.end()) == ']') {
                return new int[] {(int) a.value(), (int) b.value()};
            }
        }
        if (CParse.at(s, i) == ']') {
            return new int[] {(int) a.value(), (int) a.value()};
        }
        return null;
    }

    /** OVS {@code mf_parse_subfield()}: the whole string must be the subfield. */
    static Ofpact.Subfield parse(String s) throws OfctlParseException {
        Parsed p = parsePrefix(s);
        if (p.end() < s.length()) {
            throw new OfctlParseException("unexpected input following field syntax", s.substring(p.end()));
        }
        return p.subfield();
    }

    /** The error for a field OVS knows that this switch does not (a documented difference from ovs-ofctl). */
    static OfctlParseException unsupportedField(String name) {
        return new OfctlParseException(name + ": field not supported by this switch", name);
    }
}
