package dev.ofswitch.ofswitch.channel;

import dev.ofswitch.conntrack.time.SwitchClock;
import org.slf4j.Logger;

/**
 * Rate-limited logging of what a peer can trigger over and over (a failed TLS handshake, a HELLO without a common
 * version, a peer that stops answering), as OVS's {@code VLOG_WARN_RL} with {@code VLOG_RATE_LIMIT_INIT(5, 5)}: a
 * burst of {@value #BURST} messages, then {@value #PER_MINUTE} a minute; the next message that passes says how many
 * were dropped. Time is the switch clock's.
 *
 * <h2>Thread-safety</h2> Shared by the connections of one switch, across event loops: {@link #warn} is synchronized.
 */
final class LogRateLimit {
    static final int PER_MINUTE = 5;
    static final int BURST = 5;
    private static final long NANOS_PER_TOKEN = 60_000_000_000L / PER_MINUTE;

    private final SwitchClock clock;
    /** Guarded by {@code this}. */
    private long tokens = BURST;
    private long lastRefillNanos;
    private long suppressed;

    LogRateLimit(SwitchClock clock) {
        this.clock = clock;
        this.lastRefillNanos = clock.nanoTime();
    }

    /** Logs at WARN unless the limit is reached, in which case the message is only counted. */
    synchronized void warn(Logger log, String format, Object... args) {
        long now = clock.nanoTime();
        long earned = (now - lastRefillNanos) / NANOS_PER_TOKEN;
        if (earned > 0) {
            tokens = Math.min(BURST, tokens + earned);
            lastRefillNanos += earned * NANOS_PER_TOKEN;
        }
        if (tokens == 0) {
            suppressed++;
            return;
        }
        tokens--;
        if (suppressed > 0) {
            log.warn(format + " (" + suppressed + " similar messages suppressed)", args);
            suppressed = 0;
        } else {
            log.warn(format, args);
        }
    }
}
