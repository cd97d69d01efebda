package dev.ofswitch.conntrack;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.ofswitch.conntrack.time.SwitchClock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The conntrack cleaner thread ({@code ct_clean} in OVS, the seed's {@code clean_thread_main()}), an Agrona-style
 * duty cycle: each pass sweeps the due buckets ({@link ConnTracker#sweep(long)}) and reports its work; then the
 * thread sleeps on the switch clock until {@code max(next expiry, now + CT_CLEAN_INTERVAL)}, or
 * {@code CT_CLEAN_MIN_INTERVAL} after a pass that fell behind.
 *
 * <p>Because it sleeps on the {@link SwitchClock}, a frozen clock that is warped past the deadline wakes it at once;
 * {@link #requestPass()} also wakes it, and returns when a pass that started after the request has finished. That is
 * what lets tests say "warp 31 s; the entry is gone" without sleeping.
 *
 * <h2>Thread-safety</h2> The pass bookkeeping is guarded by {@link #monitor}, which is never held during a sweep (so
 * never together with a bucket lock). {@link #requestPass()} may be called from any thread.
 */
final class Cleaner implements Runnable {
    private static final long INTERVAL_NANOS = ConnTracker.CT_CLEAN_INTERVAL_MS * 1_000_000L;
    private static final long MIN_INTERVAL_NANOS = ConnTracker.CT_CLEAN_MIN_INTERVAL_MS * 1_000_000L;

    private final ConnTracker tracker;
    private final SwitchClock clock;
    /** The clock sleeps on this; pass bookkeeping is guarded by it. */
    private final Object monitor = new Object();

    @GuardedBy("monitor") private long requested;
    @GuardedBy("monitor") private long completed;
    @GuardedBy("monitor") private boolean stopping;
    @GuardedBy("monitor") private Thread thread;
    @GuardedBy("monitor") private int lastDeleted;
    /** Serializes passes run on callers' threads when there is no cleaner thread. */
    private final Object inlinePass = new Object();

    private volatile long passes;
    private volatile long cpuNanos;

    Cleaner(ConnTracker tracker, SwitchClock clock) {
        this.tracker = tracker;
        this.clock = clock;
    }

    void start() {
        synchronized (monitor) {
            if (thread != null) {
                return;
            }
            thread = new Thread(this, "ct_clean");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void run() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
        while (true) {
            long ticket;
            synchronized (monitor) {
                if (stopping) {
                    return;
                }
                ticket = requested;
            }
            long start = cpuTime ? mx.getCurrentThreadCpuTime() : 0;
            long now = clock.nanoTime();
            ConnTracker.SweepResult r = tracker.sweep(now);
            if (cpuTime) {
                cpuNanos += mx.getCurrentThreadCpuTime() - start;
            }
            passes++;
            long deadline = r.behind() ? now + MIN_INTERVAL_NANOS : latest(r.nextCleanupNanos(), now + INTERVAL_NANOS);
            synchronized (monitor) {
                completed = Math.max(completed, ticket);
                lastDeleted = r.deleted();
                monitor.notifyAll();
            }
            try {
                sleepUntil(deadline);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sleeps until the deadline passes, a pass is requested, or the cleaner stops. */
    private void sleepUntil(long deadline) throws InterruptedException {
        while (true) {
            // Check and sleep under the monitor: requestPass() and close() notify it while holding it, so a request
            // made after the check cannot be missed (the sleep's wait() releases the monitor).
            synchronized (monitor) {
                if (stopping || requested > completed) {
                    return;
                }
                if (clock.nanoTime() - deadline >= 0) {
                    return;
                }
                clock.sleepUntil(deadline, monitor);
            }
        }
    }

    private static long latest(long a, long b) {
        return a - b >= 0 ? a : b;
    }

    /** Runs a pass now (on the thread if there is one) and waits for it; returns what it deleted. */
    int requestPass() {
        synchronized (monitor) {
            if (thread != null && !stopping) {
                long ticket = ++requested;
                monitor.notifyAll();
                boolean interrupted = false;
                while (completed < ticket && !stopping) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return lastDeleted;
            }
        }
        synchronized (inlinePass) {
            ConnTracker.SweepResult r = tracker.sweep(clock.nanoTime());
            passes++;
            return r.deleted();
        }
    }

    /**
     * One pass on the caller's thread, for trackers without a cleaner thread whose owner schedules the passes (many
     * switches sharing one timer); returns the delay until the next pass by the cleaner thread's own rule.
     */
    long passAndNextDelay() {
        synchronized (inlinePass) {
            long now = clock.nanoTime();
            ConnTracker.SweepResult r = tracker.sweep(now);
            passes++;
            long deadline = r.behind() ? now + MIN_INTERVAL_NANOS : latest(r.nextCleanupNanos(), now + INTERVAL_NANOS);
            return deadline - now;
        }
    }

    long passes() {
        return passes;
    }

    long cpuNanos() {
        return cpuNanos;
    }

    /** Stops the thread and joins it. */
    void close() {
        Thread t;
        synchronized (monitor) {
            stopping = true;
            t = thread;
            monitor.notifyAll();
        }
        if (t != null) {
            clock.wakeUp(monitor);
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
