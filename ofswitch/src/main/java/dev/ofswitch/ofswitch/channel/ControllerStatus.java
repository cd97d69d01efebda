package dev.ofswitch.ofswitch.channel;

import java.util.List;

/**
 * A snapshot of one configured controller connection (what {@code ovs-vsctl list controller} shows as
 * {@code is_connected} and {@code status}).
 *
 * @param target           the controller, {@code tcp:IP:PORT} or {@code ssl:IP:PORT}
 * @param state            BACKOFF, CONNECTING (TCP), HANDSHAKING (TLS, HELLO), CONNECTED or CLOSED (see
 *                         {@link ControllerLink})
 * @param connected        whether the HELLO exchange is done and the connection is up
 * @param admitted         whether the controller has taken control of the switch (fail-open looks at this)
 * @param attempts         connection attempts so far
 * @param successes        attempts that reached CONNECTED
 * @param backoffMillis    the current wait between attempts
 * @param lastError        why the last attempt or connection ended (null while an attempt is under way)
 * @param attemptClockNanos switch-clock times of the last (up to 32) attempts, oldest first
 */
public record ControllerStatus(String target, String state, boolean connected, boolean admitted, int attempts,
                               int successes, long backoffMillis, String lastError, List<Long> attemptClockNanos) {
}
