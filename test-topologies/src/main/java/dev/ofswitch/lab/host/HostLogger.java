package dev.ofswitch.lab.host;

/**
 * The debug-log hook of a host: ARP resolutions and failures, TCP state changes, retransmissions, resets, and every
 * dropped malformed frame with its reason. Null (the default) costs nothing: messages are only built when a logger
 * is set.
 *
 * <h2>Thread-safety</h2> Called on the host's scheduler thread; must not block.
 */
@FunctionalInterface
public interface HostLogger {
    /**
     * One event.
     *
     * @param host      the host's name
     * @param nowNanos  the scheduler's clock
     * @param message   what happened, one line
     */
    void log(String host, long nowNanos, String message);
}
