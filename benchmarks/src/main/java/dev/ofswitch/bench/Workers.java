package dev.ofswitch.bench;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Worker threads that meet at a barrier, like the {@code ovs_barrier} of OVS's test drivers. If a worker fails, the
 * barrier is broken so that nobody waits forever, and {@link #join()} rethrows the first failure.
 *
 * <h2>Thread-safety</h2> {@link #await()} is called by the workers and, if it is a party, the main thread;
 * {@link #join()} by the thread that started the workers.
 */
final class Workers {
    /** The work of worker {@code index} (0-based); it calls {@code workers.await()} where the workers must meet. */
    interface Body {
        void run(int index, Workers workers) throws Exception;
    }

    private final CyclicBarrier barrier;
    private final Thread[] threads;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Starts {@code n} platform threads named {@code name}.
     *
     * @param mainIsParty whether the starting thread also calls {@link #await()} (ovstest's main thread does, to
     *                    take its timestamps between the workers' barriers)
     */
    Workers(String name, int n, boolean mainIsParty, Body body) {
        this.barrier = new CyclicBarrier(n + (mainIsParty ? 1 : 0));
        this.threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            threads[i] = new Thread(() -> {
                try {
                    body.run(index, this);
                } catch (Broken b) {
                    // Another thread failed first; its failure is the one to report.
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    barrier.reset();    // breaks it for everyone still waiting
                }
            }, name);
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /**
     * Waits until every party has arrived. If a worker failed instead, a worker leaves quietly and the main thread
     * gets that worker's failure.
     */
    void await() throws InterruptedException {
        try {
            barrier.await();
        } catch (BrokenBarrierException e) {
            for (Thread t : threads) {
                if (t == Thread.currentThread()) {
                    throw new Broken();
                }
            }
            join();
            throw new IllegalStateException("the barrier broke without a failing worker", e);
        }
    }

    /** Unwinds a worker whose barrier another worker broke. */
    private static final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Broken() {
            super(null, null, false, false);
        }
    }

    /** Waits for every worker to end, then rethrows the first failure if there was one. */
    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException("worker failed", t);
        }
    }

    /**
     * A phase's length when each worker timed its own part: from the earliest start to the latest end, in
     * nanoseconds (ovstest's way of timing threads that meet at a barrier).
     */
    static long span(long[] starts, long[] ends) {
        long first = starts[0];
        long last = ends[0];
        for (int i = 1; i < starts.length; i++) {
            first = starts[i] - first < 0 ? starts[i] : first;
            last = ends[i] - last > 0 ? ends[i] : last;
        }
        return last - first;
    }
}
