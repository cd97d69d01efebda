package dev.ofswitch.lab.host;

/**
 * The one thread, and the one clock, of a host's network stack.
 *
 * <p>Every piece of a host's state is confined to the thread that runs this scheduler's tasks: frames arrive through
 * {@link EmulatedHost#receive(byte[])} on it, timers fire on it, and the public API enqueues its work on it with
 * {@link #execute(Runnable)}. The lab runtime runs all hosts and the switches' frame delivery on a single "wire"
 * thread; tests use a virtual-time scheduler that runs tasks in deadline order and moves its clock by hand.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>Tasks run one at a time, never concurrently, in order of their deadline; tasks with the same deadline run in
 * the order they were submitted.
 * <li>{@link #nanoTime()} is monotonic and only meaningful relative to other readings: compare by subtraction
 * ({@code a - b < 0}), never with {@code <}, because it may start anywhere, {@link Long#MAX_VALUE} included.
 * <li>A task never blocks; a host's tasks take microseconds.
 * </ul>
 *
 * <h2>Thread-safety</h2> {@link #execute} and {@link #schedule} may be called from any thread; {@link #nanoTime}
 * too.
 */
public interface HostScheduler {
    /** The clock of this scheduler, in nanoseconds. */
    long nanoTime();

    /**
     * Runs {@code task} on the scheduler thread after {@code delayNanos} (0 or more).
     *
     * @return a handle that cancels the task if it has not run yet
     */
    Cancellable schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the scheduler thread as soon as possible, after the tasks already due. */
    void execute(Runnable task);
}
