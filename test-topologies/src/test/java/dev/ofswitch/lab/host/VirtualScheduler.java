package dev.ofswitch.lab.host;

import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A {@link HostScheduler} in virtual time for deterministic tests: a priority queue of tasks ordered by deadline,
 * then by submission. Nothing runs until the test drives it with {@link #runUntilIdle()}, {@link #advance(long)} or
 * {@link #await(CompletableFuture)}, and the clock moves only to the deadline of the task being run. No test ever
 * sleeps.
 *
 * <p>The clock starts at any value ({@link Long#MAX_VALUE} included) and wraps like {@link System#nanoTime()}; tasks
 * are ordered by elapsed time since the start, so the order survives the wrap.
 *
 * <h2>Thread-safety</h2> Tasks run on the thread that drives the scheduler (the test thread). Scheduling from other
 * threads is safe (methods are synchronized) but tests don't need it.
 */
final class VirtualScheduler implements HostScheduler {
    /** Guards against a test that never goes idle: the most tasks one drive call runs. */
    static final long MAX_TASKS = 50_000_000L;

    private final long startNanos;
    private long elapsedNanos;
    private long sequence;
    private long tasksRun;
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.dueElapsed, b.dueElapsed);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });

    private final class Task implements Cancellable {
        final long dueElapsed;
        final long seq;
        final Runnable runnable;
        boolean cancelled;
        boolean ran;

        Task(long dueElapsed, long seq, Runnable runnable) {
            this.dueElapsed = dueElapsed;
            this.seq = seq;
            this.runnable = runnable;
        }

        @Override
        public boolean cancel() {
            synchronized (VirtualScheduler.this) {
                if (cancelled || ran) {
                    return false;
                }
                cancelled = true;
                return true;
            }
        }
    }

    VirtualScheduler(long startNanos) {
        this.startNanos = startNanos;
    }

    VirtualScheduler() {
        this(0);
    }

    @Override
    public synchronized long nanoTime() {
        return startNanos + elapsedNanos;
    }

    /** Nanoseconds since the scheduler was created. */
    synchronized long elapsedNanos() {
        return elapsedNanos;
    }

    long elapsedMillis() {
        return elapsedNanos() / 1_000_000L;
    }

    @Override
    public synchronized Cancellable schedule(long delayNanos, Runnable task) {
        Task t = new Task(elapsedNanos + Math.max(0, delayNanos), sequence++, task);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    /** Runs tasks, moving the clock to each deadline, until none is left. */
    void runUntilIdle() {
        runUntil(() -> false, Long.MAX_VALUE);
    }

    /** Runs every task due within {@code ms} milliseconds, then sets the clock to now + {@code ms}. */
    void advance(long ms) {
        long target = elapsedNanos() + ms * 1_000_000L;
        runUntil(() -> false, target);
        synchronized (this) {
            if (elapsedNanos < target) {
                elapsedNanos = target;
            }
        }
    }

    /**
     * Runs tasks in order until {@code done} holds (checked after each task), the queue is empty, or the next task
     * is due after {@code limitElapsedNanos}.
     *
     * @return whether {@code done} holds
     */
    boolean runUntil(BooleanSupplier done, long limitElapsedNanos) {
        long budget = MAX_TASKS;
        while (!done.getAsBoolean()) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.dueElapsed > limitElapsedNanos) {
                    return done.getAsBoolean();
                }
                queue.poll();
                if (t.cancelled) {
                    continue;
                }
                t.ran = true;
                elapsedNanos = Math.max(elapsedNanos, t.dueElapsed);
                tasksRun++;
            }
            t.runnable.run();
            if (--budget == 0) {
                throw new IllegalStateException("scheduler never went idle: " + MAX_TASKS + " tasks");
            }
        }
        return true;
    }

    /** Runs the scheduler until {@code f} completes (or nothing is left to run), then returns its value. */
    <T> T await(CompletableFuture<T> f) {
        runUntil(f::isDone, Long.MAX_VALUE);
        if (!f.isDone()) {
            throw new IllegalStateException("the scheduler went idle before the future completed");
        }
        return f.join();
    }

    /** Runs the scheduler until {@code f} completes, then returns it (completed, possibly exceptionally). */
    <T> CompletableFuture<T> settle(CompletableFuture<T> f) {
        runUntil(f::isDone, Long.MAX_VALUE);
        return f;
    }

    synchronized long tasksRun() {
        return tasksRun;
    }

    synchronized int pending() {
        int n = 0;
        for (Task t : queue) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }
}
