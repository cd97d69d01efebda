package dev.ofswitch.ofswitch.datapath;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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

    /**
     * The pipeline worker slots for frames run in the caller's thread, each used by one caller at a time: in inline
     * mode all of them; with datapath threads one more after theirs, for {@link #runSync} (a packet-out runs in the
     * control thread, as OVS executes one in its main thread, so that its packet-ins are written before the reply to
     * a following barrier).
     */
    private final java.util.concurrent.locks.ReentrantLock[] slots;
    /** The pipeline worker index of {@code slots[0]}. */
    private final int slotBase;
    private final boolean inline;

    public Datapath(PacketProcessor processor, int threads, String name) {
        this(processor, threads, name, false);
    }

    /**
     * @param threads datapath threads (the pipeline needs one worker more, for {@link #runSync}); in inline mode, the
     *                number of pipeline worker slots instead (callers that find every slot busy wait for the first)
     * @param inline  process every frame in the caller's thread (a lab's wire thread, the control thread for a
     *                packet-out) instead of handing it to a datapath thread
     */
    public Datapath(PacketProcessor processor, int threads, String name, boolean inline) {
        if (threads < 1) {
            throw new IllegalArgumentException("datapath threads must be at least 1: " + threads);
        }
        this.processor = processor;
        this.inline = inline;
        int nSlots = inline ? threads : 1;
        this.slots = new java.util.concurrent.locks.ReentrantLock[nSlots];
        for (int i = 0; i < nSlots; i++) {
            slots[i] = new java.util.concurrent.locks.ReentrantLock();
        }
        this.slotBase = inline ? 0 : threads;
        if (inline) {
            this.workers = new Worker[0];
            return;
        }
        this.workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i, name + "-datapath-" + i);
            workers[i].start();
        }
    }

    /** Runs a frame in this thread on the first free caller slot. */
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
                index = slotBase + i;
                break;
            }
        }
        if (slot == null) {
            slot = slots[0];
            index = slotBase;
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
        return inline ? slots.length : workers.length;
    }

    /** The pipeline workers this datapath uses: its threads, plus the caller slot when it has threads. */
    public static int pipelineWorkers(int threads, boolean inline) {
        return inline ? threads : threads + 1;
    }

    /** Queues a frame that arrived on {@code inPort}; returns false (and counts a drop) if the worker is full. */
    public boolean submit(int inPort, byte[] frame, int len) {
        if (inline) {
            runInline(inPort, frame, len, null);
            return !closed;
        }
        Worker w = workers[Math.floorMod(inPort, workers.length)];
        if (closed || !w.queue.offer(new Task(inPort, frame, len))) {
            dropped.increment();
            return false;
        }
        return true;
    }

    /**
     * Runs a frame through the pipeline in the caller's thread, on a caller slot, and returns when it is completely
     * processed (every output written, every packet-in sent): ovs-appctl {@code netdev-dummy/receive}, and PACKET_OUT
     * before a barrier. It does not wait behind frames queued for the datapath threads (OVS's packet-out does not
     * either).
     *
     * @param program null for a received frame, or the action program of a packet-out
     */
    public void runSync(int inPort, byte[] frame, int len, Object program) {
        runInline(inPort, frame, len, program);
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

    private record Task(int inPort, byte[] frame, int len) {
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
                processor.process(index, t.inPort, t.frame, t.len);
            } catch (RuntimeException e) {
                // A bug of ours on one packet must not stop the datapath.
                log.error("{}: packet on port {} failed", getName(), t.inPort, e);
            }
        }
    }
}
