package dev.ofswitch.ofswitch;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads switches run on: Netty event loops for their OpenFlow connections, a timer thread (flow expiry,
 * conntrack cleaning), a pool for their control work (each switch gets a {@link SerialExecutor} on it), and whether
 * received frames are processed by datapath threads or in the caller's thread.
 *
 * <p>A standalone switch (bin/ofswitch) gets a dedicated runtime of its own: one event loop that is also its control
 * thread (ovs-vswitchd's main thread), a timer thread, datapath threads, a conntrack cleaner thread, like
 * ovs-vswitchd's handler, revalidator and ct_clean threads. A lab of a thousand switches in one process shares one {@link #shared} runtime: the same few threads for
 * all, packets processed in the thread that delivers them (the lab's wire), conntrack cleaned from the timer.
 *
 * <h2>Thread-safety</h2> Immutable after construction; the executors are thread-safe.
 */
public final class SwitchRuntime implements AutoCloseable {
    private final EventLoopGroup io;
    private final ScheduledExecutorService timers;
    /** Where control work runs: a thread pool, or (dedicated runtime) the one event loop itself. */
    private final java.util.concurrent.Executor controlBase;
    private final ExecutorService controlPool;
    private final boolean inlineDatapath;
    private final boolean shared;

    private SwitchRuntime(int ioThreads, int controlThreads, boolean inlineDatapath, boolean shared, String name) {
        this.io = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory(name + "-io", true),
                NioIoHandler.newFactory());
        this.timers = Executors.newSingleThreadScheduledExecutor(daemons(name + "-timers"));
        if (controlThreads == 0) {
            this.controlPool = null;
            this.controlBase = io.next();
        } else {
            this.controlPool = Executors.newFixedThreadPool(controlThreads, daemons(name + "-control"));
            this.controlBase = controlPool;
        }
        this.inlineDatapath = inlineDatapath;
        this.shared = shared;
    }

    /**
     * A runtime for many switches in one process: {@code ioThreads} event loops, {@code controlThreads} threads for
     * control work, one timer thread; packets are processed in the thread that hands them to a switch.
     */
    public static SwitchRuntime shared(int ioThreads, int controlThreads) {
        if (ioThreads < 1 || controlThreads < 1) {
            throw new IllegalArgumentException("a shared runtime needs at least one I/O and one control thread");
        }
        return new SwitchRuntime(ioThreads, controlThreads, true, true, "lab");
    }

    /**
     * The runtime a switch creates for itself when its config names none: like ovs-vswitchd's main thread, one event
     * loop does all OpenFlow I/O and all control work, so a request is read, handled and answered in one thread
     * without a hand-off (a FLOW_MOD + BARRIER round trip of ovs-ofctl costs no thread wake-up); packets go to
     * datapath threads.
     */
    static SwitchRuntime dedicated(String name) {
        return new SwitchRuntime(1, 0, false, false, "ofswitch-" + name);
    }

    public EventLoopGroup io() {
        return io;
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    /** A new serial executor on the control pool, for one switch. */
    public SerialExecutor serialExecutor() {
        return new SerialExecutor(controlBase);
    }

    /** Whether frames are processed in the caller's thread rather than by datapath threads. */
    public boolean inlineDatapath() {
        return inlineDatapath;
    }

    /** Whether several switches share this runtime (then a switch's close() leaves it running). */
    public boolean isShared() {
        return shared;
    }

    @Override
    public void close() {
        timers.shutdownNow();
        if (controlPool != null) {
            controlPool.shutdownNow();
        }
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
