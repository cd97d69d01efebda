package dev.ofswitch.ofswitch.ofctl;

/**
 * OVS {@code ofputil_parse_key_value()} ({@code lib/ofp-parse.c}): splits {@code key=value}, {@code key:value},
 * {@code key(value)} and bare {@code key} items separated by commas or blanks. A value that starts after ':' or '='
 * runs to the next comma or blank, except that balanced parentheses inside it are kept whole
 * ({@code set_field:(x)->y} style); a value after '(' runs to the matching ')'.
 *
 * <pre>{@code
 * KeyValues kv = new KeyValues("ip, nw_src=10.0.0.1 ,actions=ct(commit,zone=5)");
 * kv.next();  // key "ip", value ""
 * kv.next();  // key "nw_src", value "10.0.0.1"
 * }</pre>
 */
final class KeyValues {
    private static final String KEY_DELIMS = ":=(, \t\r\n";
    private final String s;
    private int pos;
    private String key;
    private String value;

    KeyValues(String s) {
        this.s = s;
    }

    /** Reads the next item; false at the end (only blanks and commas left). */
    boolean next() {
        while (pos < s.length() && ", \t\r\n".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos >= s.length()) {
            key = null;
            value = null;
            return false;
        }
        int keyStart = pos;
        int keyEnd = keyStart;
        while (keyEnd < s.length() && KEY_DELIMS.indexOf(s.charAt(keyEnd)) < 0) {
            keyEnd++;
        }
        char delim = CParse.at(s, keyEnd);
        key = s.substring(keyStart, keyEnd);
        pos = keyEnd + (delim != '\0' ? 1 : 0);
        String valueDelims;
        if (delim == ':' || delim == '=') {
            valueDelims = ", \t\r\n";
        } else if (delim == '(') {
            valueDelims = ")";
        } else {
            value = "";
            return true;
        }
        int valueStart = pos;
        int n = valueLength(valueStart, valueDelims);
        value = s.substring(valueStart, valueStart + n);
        pos = valueStart + n + (CParse.at(s, valueStart + n) != '\0' ? 1 : 0);
        return true;
    }

    /** OVS {@code parse_value()}: up to a delimiter, skipping over balanced parentheses. */
    private int valueLength(int from, String delimiters) {
        int n = 0;
        while (true) {
            char c = CParse.at(s, from + n);
            if (c == '\0' || delimiters.indexOf(c) >= 0) {
                return n;
            }
            if (c == '(') {
                int level = 0;
                do {
                    char d = CParse.at(s, from + n);
                    if (d == '\0') {
                        return n;
                    } else if (d == '(') {
                        level++;
                    } else if (d == ')') {
                        level--;
                    }
                    n++;
                } while (level > 0);
            } else {
                n++;
            }
        }
    }

    String key() {
        return key;
    }

    String value() {
        return value;
    }

    /** The unparsed rest of the input (for "drop must not be followed by ..." style checks). */
    String rest() {
        return s.substring(Math.min(pos, s.length()));
    }
}
