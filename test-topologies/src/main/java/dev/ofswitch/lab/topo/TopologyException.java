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
        super(message);
    }

    /**
     * @param message the whole message, starting with where (file or topology)
     * @param cause   the underlying parse or I/O failure
     */
    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
