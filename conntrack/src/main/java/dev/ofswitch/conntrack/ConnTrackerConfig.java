package dev.ofswitch.conntrack;

import dev.ofswitch.conntrack.time.SwitchClock;
import java.util.Objects;

/**
 * How to build a {@link ConnTracker}.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code clock}</td><td>{@link SwitchClock#system()}</td><td>the switch's one clock; the cleaner sleeps on
 * it</td></tr>
 * <tr><td>{@code buckets}</td><td>{@value ConnTracker#DEFAULT_BUCKETS}</td><td>independent buckets, each with its
 * lock (a power of two, 1..65536)</td></tr>
 * <tr><td>{@code connLimit}</td><td>{@value ConnTracker#DEFAULT_CONN_LIMIT}</td><td>OVS's {@code n_conn_limit}</td>
 * </tr>
 * <tr><td>{@code cleanerThread}</td><td>true</td><td>run the cleaner thread (false: only explicit
 * {@link ConnTracker#sweepNow()})</td></tr>
 * </table>
 */
public final class ConnTrackerConfig {
    SwitchClock clock = SwitchClock.system();
    int buckets = ConnTracker.DEFAULT_BUCKETS;
    int connLimit = ConnTracker.DEFAULT_CONN_LIMIT;
    boolean cleanerThread = true;

    public static ConnTrackerConfig defaults() {
        return new ConnTrackerConfig();
    }

    public ConnTrackerConfig clock(SwitchClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public ConnTrackerConfig buckets(int buckets) {
        if (buckets < 1 || buckets > 65536 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two in 1..65536: " + buckets);
        }
        this.buckets = buckets;
        return this;
    }

    public ConnTrackerConfig connLimit(int connLimit) {
        if (connLimit < 0) {
            throw new IllegalArgumentException("connLimit must not be negative: " + connLimit);
        }
        this.connLimit = connLimit;
        return this;
    }

    public ConnTrackerConfig cleanerThread(boolean cleanerThread) {
        this.cleanerThread = cleanerThread;
        return this;
    }
}
