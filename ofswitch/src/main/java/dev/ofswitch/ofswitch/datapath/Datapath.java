package dev.ofswitch.ofswitch.datapath;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datapath: {@code N} worker threads, each with a bounded queue, that run packets through a
 * {@link PacketProcessor}. Frames from one port always go to the same worker, so a flow's packets stay in order.
 *
 * <h2>Thread-safety</h2> {@link #submit} and {@link #runSync} may be called from any thread. A full queue drops the
 * frame and counts it ({@link #dropped()}), as a NIC ring would, rather than blocking a link or a host.
 */
public final class Datapath implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Datapath.class);
    /** Frames a worker may have waiting. */
    public static final int QUEUE_CAPACITY = 4096;

    private final PacketProcessor processor;
    private final Worker[] workers;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();

    /** Inline mode: the pipeline worker slots, each used by one caller at a time (null with datapath threads). */
    private final java.util.concurrent.locks.ReentrantLock[] slots;

    public Datapath(PacketProcessor processor, int threads, String name) {
        this(processor, threads, name, false);
    }

    /**
     * @param threads datapath threads; in inline mode, the number of pipeline worker slots instead (callers that
     *                find every slot busy wait for the first)
     * @param inline  process every frame in the caller's thread (a lab's wire thread, the control thread for a
     *                packet-out) instead of handing it to a datapath thread
     */
    public Datapath(PacketProcessor processor, int threads, String name, boolean inline) {
        if (threads < 1) {
            throw new IllegalArgumentException("datapath threads must be at least 1: " + threads);
        }
        this.processor = processor;
        if (inline) {
            this.workers = new Worker[0];
            this.slots = new java.util.concurrent.locks.ReentrantLock[threads];
            for (int i = 0; i < threads; i++) {
                slots[i] = new java.util.concurrent.locks.ReentrantLock();
            }
            return;
        }
        this.slots = null;
        this.workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i, name + "-datapath-" + i);
            workers[i].start();
        }
    }

    /** Inline mode: runs a frame in this thread on the first free worker slot. */
    private void runInline(int inPort, byte[] frame, int len, Object program) {
        if (closed) {
            dropped.increment();
            return;
        }
        java.util.concurrent.locks.ReentrantLock slot = null;
        int index = 0;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].tryLock()) {
                slot = slots[i];
                index = i;
                break;
            }
        }
        if (slot == null) {
            slot = slots[0];
            slot.lock();
        }
        try {
            if (program == null) {
                processor.process(index, inPort, frame, len);
            } else {
                processor.packetOut(index, inPort, frame, len, program);
            }
        } finally {
            slot.unlock();
        }
    }

    public int threads() {
        return slots != null ? slots.length : workers.length;
    }

    /** Queues a frame that arrived on {@code inPort}; returns false (and counts a drop) if the worker is full. */
    public boolean submit(int inPort, byte[] frame, int len) {
        if (slots != null) {
            runInline(inPort, frame, len, null);
            return !closed;
        }
        Worker w = workers[Math.floorMod(inPort, workers.length)];
        if (closed || !w.queue.offer(new Task(inPort, frame, len, null, null))) {
            dropped.increment();
            return false;
        }
        return true;
    }

    /**
     * Runs a frame through the pipeline and waits until it is completely processed (every output written, every
     * packet-in sent): ovs-appctl {@code netdev-dummy/receive}, and PACKET_OUT before a barrier.
     *
     * @param program null for a received frame, or the action program of a packet-out
     */
    public void runSync(int inPort, byte[] frame, int len, Object program) {
        if (slots != null) {
            runInline(inPort, frame, len, program);
            return;
        }
        Worker w = workers[Math.floorMod(inPort, workers.length)];
        CompletableFuture<Void> done = new CompletableFuture<>();
        Task t = new Task(inPort, frame, len, program, done);
        try {
            if (Thread.currentThread() == w) {
                w.run(t);
                return;
            }
            w.queue.put(t);
            done.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("packet processing failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("datapath did not process the packet within 60 s");
        }
    }

    /** Frames dropped because a worker's queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            w.interrupt();
        }
        for (Worker w : workers) {
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Task(int inPort, byte[] frame, int len, Object program, CompletableFuture<Void> done) {
    }

    private final class Worker extends Thread {
        final int index;
        final BlockingQueue<Task> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

        Worker(int index, String name) {
            super(name);
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!closed) {
                Task t;
                try {
                    t = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                run(t);
            }
        }

        void run(Task t) {
            try {
                if (t.program == null) {
                    processor.process(index, t.inPort, t.frame, t.len);
                } else {
                    processor.packetOut(index, t.inPort, t.frame, t.len, t.program);
                }
                if (t.done != null) {
                    t.done.complete(null);
                }
            } catch (RuntimeException e) {
                // A bug of ours on one packet must not stop the datapath.
                log.error("{}: packet on port {} failed", getName(), t.inPort, e);
                if (t.done != null) {
                    t.done.completeExceptionally(e);
                }
            }
        }
    }
}
