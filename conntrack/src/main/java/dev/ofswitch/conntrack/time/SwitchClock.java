package dev.ofswitch.conntrack.time;

/**
 * A monotonic nanosecond clock that threads can also sleep on.
 *
 * <p>Every piece of time-driven work in the switch (conntrack expiry, flow idle and hard timeouts, FLOW_REMOVED
 * durations, echo probes) reads one instance of this class, never {@link System#nanoTime()} directly, and sleeps
 * with {@link #sleepUntil(long, Object)} so that a clock that is advanced by hand wakes the sleeper.
 *
 * <p>Values are only meaningful relative to each other and may wrap: compare them by subtraction
 * ({@code a - b < 0}), never with {@code <}, exactly as {@link System#nanoTime()} requires. Tests start clocks at
 * {@link Long#MIN_VALUE}, {@link Long#MAX_VALUE} and 0 to keep everyone honest.
 *
 * <h2>Thread-safety</h2> All methods may be called from any thread.
 */
public abstract class SwitchClock {

    /** Returns the current time in nanoseconds. */
    public abstract long nanoTime();

    /**
     * Blocks until {@code nanoTime() - deadlineNanos >= 0}, until {@link #wakeUp(Object)} is called with the same
     * {@code waiter}, or until the thread is interrupted, whichever comes first. Spurious returns are allowed:
     * callers re-check their condition.
     *
     * @param deadlineNanos the clock reading to wait for
     * @param waiter        the monitor the sleeping thread waits on; {@link #wakeUp(Object)} notifies it
     * @throws InterruptedException if the thread is interrupted while sleeping
     */
    public abstract void sleepUntil(long deadlineNanos, Object waiter) throws InterruptedException;

    /**
     * Wakes a thread sleeping in {@link #sleepUntil(long, Object)} on {@code waiter} (for an earlier deadline, or to
     * shut down).
     */
    public void wakeUp(Object waiter) {
        synchronized (waiter) {
            waiter.notifyAll();
        }
    }

    /** Converts milliseconds to nanoseconds, saturating instead of overflowing. */
    public static long millisToNanos(long millis) {
        return Math.multiplyExact(Math.min(millis, Long.MAX_VALUE / 1_000_000L), 1_000_000L);
    }

    /** Returns the system clock (real monotonic time). */
    public static SwitchClock system() {
        return SystemClock.INSTANCE;
    }
}
