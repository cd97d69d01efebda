package dev.ofswitch.ofswitch;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: one switch's control work (every OpenFlow request
 * of its connections, its timers) without a thread of its own, so that a thousand switches can share a few threads.
 * Tasks never overlap, and each sees everything the previous one did (the queue's lock orders them).
 *
 * <p>A turn on the pool runs at most {@value #TASKS_PER_TURN} tasks, then queues the next turn behind whatever else
 * the pool has: when the pool is the switch's own event loop, its I/O gets a look-in between turns, so that a
 * connection whose requests keep coming (each drain of a flooding controller queues the next) cannot keep the loop
 * from reading the other connections; on a shared pool, the other switches get theirs.
 *
 * <h2>Thread-safety</h2> {@link #execute} and {@link #submit} may be called from any thread.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks run in one turn on the pool before yielding it. */
    static final int TASKS_PER_TURN = 64;

    private final Executor pool;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    /** Guarded by {@code queue}: a drain is scheduled or running. */
    private boolean draining;
    private volatile boolean shutdown;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        boolean start;
        synchronized (queue) {
            queue.add(task);
            start = !draining;
            draining = true;
        }
        if (start) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                synchronized (queue) {
                    draining = false;
                    queue.clear();
                }
                throw e;
            }
        }
    }

    /** Queues {@code task}; its future completes when it has run. */
    public Future<?> submit(Runnable task) {
        FutureTask<Object> f = new FutureTask<>(task, null);
        execute(f);
        return f;
    }

    private void drain() {
        for (int i = 0; i < TASKS_PER_TURN; i++) {
            Runnable t;
            synchronized (queue) {
                t = queue.poll();
                if (t == null || shutdown) {
                    draining = false;
                    queue.clear();
                    return;
                }
            }
            try {
                t.run();
            } catch (RuntimeException e) {
                log.error("control task failed", e);
            }
        }
        try {
            pool.execute(this::drain);      // still draining: the next turn, behind the pool's other work
        } catch (RejectedExecutionException e) {
            synchronized (queue) {
                draining = false;
                queue.clear();
            }
        }
    }

    /** Drops queued tasks and refuses new ones; a task already running finishes. */
    public void shutdownNow() {
        shutdown = true;
        synchronized (queue) {
            queue.clear();
        }
    }
}
