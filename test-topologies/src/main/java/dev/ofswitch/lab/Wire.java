package dev.ofswitch.lab;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's wire: one thread on which every frame between two nodes is delivered, every switch processes what it
 * receives (its datapath runs inline), and every host's network stack runs (its timers included). One thread makes
 * the lab's behaviour easy to reason about, like Mininet's single kernel: a frame sent on a link arrives after the
 * frames sent on it before, and a host's state is never touched by two threads.
 *
 * <p>Frames sent without delay are delivered in the order they were sent; delayed ones at their time. The clock is
 * {@link System#nanoTime()}.
 *
 * <h2>Thread-safety</h2> {@link #execute}, {@link #schedule} and {@link #call} may be called from any thread. A task
 * must not block; an exception in a task is logged and the wire goes on.
 */
public final class Wire implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Wire.class);

    private final ScheduledThreadPoolExecutor exec;
    private volatile Thread thread;

    public Wire() {
        exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lab-wire");
            t.setDaemon(true);
            thread = t;
            return t;
        });
        exec.setRemoveOnCancelPolicy(true);
    }

    /** The wire's clock, in nanoseconds (compare by subtraction). */
    public long nanoTime() {
        return System.nanoTime();
    }

    /** Runs {@code task} on the wire after the tasks already due. */
    public void execute(Runnable task) {
        exec.execute(guarded(task));
    }

    /** Runs {@code task} on the wire after {@code delayNanos}; the returned handle cancels it. */
    public ScheduledFuture<?> schedule(long delayNanos, Runnable task) {
        return exec.schedule(guarded(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /** Whether the caller is the wire thread. */
    public boolean isWireThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the wire and returns its result (reading nodes' state consistently from another thread).
     * On the wire thread itself it runs at once.
     */
    public <T> T call(Callable<T> task) {
        if (isWireThread()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = exec.submit(task);
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the wire", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the wire did not answer within 60 s");
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("lab wire task failed", e);
            }
        };
    }

    @Override
    public void close() {
        exec.shutdownNow();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
