package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofswitch.conntrack.tcp.TcpState;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.ArrayList;
import java.util.List;

/**
 * A tracker on a frozen clock without a cleaner thread, plus the few calls engine tests repeat: run a frame through
 * {@code ct()}, read the verdict as OVS prints it ({@code new|trk}), dump, advance time and sweep.
 */
final class TrackerFixture implements AutoCloseable {
    static final CtParams COMMIT = CtParams.COMMIT;
    static final CtParams LOOKUP = CtParams.LOOKUP;

    final ControllableClock clock;
    final ConnTracker tracker;
    /** The metadata of the last {@link #ct} call. */
    CtMetadata md;

    TrackerFixture() {
        this(0);
    }

    TrackerFixture(long startNanos) {
        this(startNanos, ConnTrackerConfig.defaults());
    }

    TrackerFixture(long startNanos, ConnTrackerConfig config) {
        this.clock = ControllableClock.manual(startNanos);
        this.tracker = new ConnTracker(config.clock(clock).cleanerThread(false));
    }

    /** Runs {@code frame} through {@code ct(params)} in {@code zone} with fresh metadata; returns the state. */
    String ct(byte[] frame, int zone, CtParams params) {
        md = new CtMetadata();
        tracker.execute(frame, 0, frame.length, zone, params, md, clock.nanoTime());
        return CtState.format(md.state());
    }

    /** {@code ct(commit)} in zone 0. */
    String commit(byte[] frame) {
        return ct(frame, 0, COMMIT);
    }

    /** {@code ct()} in zone 0, without commit. */
    String lookup(byte[] frame) {
        return ct(frame, 0, LOOKUP);
    }

    /** Advances the clock by {@code millis} and runs one cleaner pass, as {@code time/warp} does. */
    int warp(long millis) {
        clock.warp(millis);
        return tracker.sweepNow();
    }

    /** Every live entry, as {@code dpctl/dump-conntrack -m -s} prints it, without {@code id=0}. */
    List<String> dump() {
        List<String> out = new ArrayList<>();
        for (ConnEntry e : tracker.dump(-1, clock.nanoTime())) {
            out.add(e.format(true, true).replace("),id=0,", "),"));
        }
        return out;
    }

    /** The only live entry. */
    ConnEntry only() {
        List<ConnEntry> all = tracker.dump(-1, clock.nanoTime());
        assertEquals(1, all.size(), () -> "expected one entry, got " + dump());
        return all.get(0);
    }

    /** {@code STATE_ORIG/STATE_REPLY} of the only (TCP) entry. */
    String tcpStates() {
        ConnEntry e = only();
        return TcpState.name(e.tcp().stateOrig()) + "/" + TcpState.name(e.tcp().stateReply());
    }

    /** Seconds left of the only entry, as {@code timeout=} shows them. */
    long timeout() {
        return only().timeoutSeconds();
    }

    long count() {
        return tracker.connectionCount();
    }

    @Override
    public void close() {
        tracker.close();
    }
}
