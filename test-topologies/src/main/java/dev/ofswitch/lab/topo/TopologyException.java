package dev.ofswitch.lab.topo;

/**
 * A topology that cannot be used: a bad {@code --topo} spec, a JSON file that does not parse, or a topology that
 * fails {@link Topology#validate()}. The message is meant to be shown to the user as it is, on one line, and names
 * where the problem is and what it is:
 *
 * <pre>
 * topologies/bad.json: link 3 (s1:2 - h9:0): unknown node "h9"
 * topologies/bad.json: host "h2": unknown field "macc" (fields of a host: name, ip, mac, gateway) at line 9, column 15
 * topology "linear,0": k must be at least 1, got 0
 * </pre>
 *
 * <p>It is thrown before anything is started: the lab either gets a whole valid topology or this exception.
 */
public final class TopologyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the whole message, starting with where (file or topology) */
    public TopologyException(String message) {
        super(oneLine(message));
    }

    /**
     * @param message the whole message, starting with where (file or topology)
     * @param cause   the underlying parse or I/O failure
     */
    public TopologyException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * The message with control characters written as JSON escapes: names quoted from a file may hold any character
     * ({@code "b\ndwidthMbps"} is a valid JSON field name, found by TopologyFilesFuzzTest), and the message stays one
     * line that shows them.
     */
    private static String oneLine(String message) {
        StringBuilder sb = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (!control) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(message.length() + 8).append(message, 0, i);
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb == null ? message : sb.toString();
    }
}
