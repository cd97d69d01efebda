package dev.ofswitch.lab;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A cable between two nodes of the lab: what one end sends arrives at the other after the link's delay, unless the
 * link is down or the frame is lost (the link's loss percentage, drawn from its own seeded generator, so a run is
 * reproducible). Delivery happens on the {@link Wire}.
 *
 * <h2>Thread-safety</h2> {@link #send} runs on the wire thread; {@link #setUp} may be called from any thread.
 */
final class LabLink {
    /** One end: a node and its port (a host's is 0). */
    record End(String node, int port, boolean isSwitch) {
    }

    private final Wire wire;
    private final End a;
    private final End b;
    private volatile boolean up;
    private final long delayNanos;
    private final double loss;
    private final Random rnd;
    private BiConsumer<End, byte[]> toSwitch;
    private BiConsumer<End, byte[]> toHost;
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();

    LabLink(Wire wire, End a, End b, boolean up, double delayMs, double lossPercent, long seed) {
        this.wire = wire;
        this.a = a;
        this.b = b;
        this.up = up;
        this.delayNanos = (long) (delayMs * 1_000_000);
        this.loss = lossPercent / 100.0;
        this.rnd = new Random(seed);
    }

    void bind(BiConsumer<End, byte[]> toSwitch, BiConsumer<End, byte[]> toHost) {
        this.toSwitch = toSwitch;
        this.toHost = toHost;
    }

    boolean hasEnd(String node) {
        return a.node().equals(node) || b.node().equals(node);
    }

    List<End> ends() {
        return List.of(a, b);
    }

    boolean isUp() {
        return up;
    }

    void setUp(boolean isUp) {
        this.up = isUp;
    }

    /** {@code from} (a node name) transmits {@code frame}; the link owns the array from now on. */
    void send(String from, byte[] frame) {
        End to = a.node().equals(from) ? b : a;
        if (!up || (loss > 0 && rnd.nextDouble() < loss)) {
            dropped.increment();
            return;
        }
        Runnable deliver = () -> {
            if (!up) {
                dropped.increment();
                return;
            }
            delivered.increment();
            (to.isSwitch() ? toSwitch : toHost).accept(to, frame);
        };
        if (delayNanos > 0) {
            wire.schedule(delayNanos, deliver);
        } else {
            wire.execute(deliver);
        }
    }
}
