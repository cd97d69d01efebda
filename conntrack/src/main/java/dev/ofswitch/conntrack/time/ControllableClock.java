package dev.ofswitch.conntrack.time;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A clock that follows real monotonic time until {@link #stop()} freezes it, and then moves only when
 * {@link #warp(long)} advances it. This is OVS's {@code time/stop} and {@code time/warp} (ovs-appctl, with
 * {@code --enable-dummy}), and it is also the clock of unit tests: {@link #manual(long)} makes a clock that is frozen
 * from the start at any value, {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} included.
 *
 * <p>While frozen, every reader between two warps sees the same instant. A warp wakes every thread sleeping on this
 * clock, so a cleaner thread whose deadline has passed runs at once.
 *
 * <h2>Thread-safety</h2> Readers never block; {@link #stop()} and {@link #warp(long)} are serialized on this object.
 */
public final class ControllableClock extends SwitchClock {
    /** Offset added to System.nanoTime() while running. Written under {@code this}, read anywhere. */
    private volatile long offsetNanos;
    /** The frozen reading, valid while {@link #frozen}. Written under {@code this}. */
    private volatile long frozenNanos;
    private volatile boolean frozen;
    /** Monitors of threads sleeping on this clock, so that a warp can wake them. Guarded by itself. */
    private final Set<Object> waiters = Collections.newSetFromMap(new WeakHashMap<>());

    private ControllableClock(long startNanos, boolean frozen) {
        this.offsetNanos = startNanos - System.nanoTime();
        this.frozenNanos = startNanos;
        this.frozen = frozen;
    }

    /** A clock that starts at the current system time and runs until {@link #stop()}. */
    public static ControllableClock running() {
        return new ControllableClock(System.nanoTime(), false);
    }

    /** A clock frozen at {@code startNanos}; it moves only with {@link #warp(long)} / {@link #advanceNanos(long)}. */
    public static ControllableClock manual(long startNanos) {
        return new ControllableClock(startNanos, true);
    }

    @Override
    public long nanoTime() {
        return frozen ? frozenNanos : System.nanoTime() + offsetNanos;
    }

    /** Whether the clock is frozen. */
    public boolean isFrozen() {
        return frozen;
    }

    /** Freezes the clock at its current reading. Repeating it changes nothing. */
    public synchronized void stop() {
        if (!frozen) {
            frozenNanos = System.nanoTime() + offsetNanos;
            frozen = true;
        }
    }

    /**
     * Advances the clock by {@code millis} milliseconds and wakes every sleeper. On a running clock this shifts it
     * forward, as OVS's {@code time/warp} does.
     */
    public void warp(long millis) {
        advanceNanos(millisToNanos(millis));
    }

    /** Advances the clock by {@code nanos} (at least 0) and wakes every sleeper. */
    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward: " + nanos);
        }
        synchronized (this) {
            if (frozen) {
                frozenNanos += nanos;
            } else {
                offsetNanos += nanos;
            }
        }
        Object[] toWake;
        synchronized (waiters) {
            toWake = waiters.toArray();
        }
        for (Object waiter : toWake) {
            wakeUp(waiter);
        }
    }

    @Override
    public void sleepUntil(long deadlineNanos, Object waiter) throws InterruptedException {
        synchronized (waiters) {
            waiters.add(waiter);
        }
        synchronized (waiter) {
            long waitNanos = deadlineNanos - nanoTime();
            if (waitNanos <= 0) {
                return;
            }
            if (frozen) {
                // Only a warp (or wakeUp) can bring the deadline closer.
                waiter.wait();
            } else {
                waiter.wait(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
            }
        }
    }
}
