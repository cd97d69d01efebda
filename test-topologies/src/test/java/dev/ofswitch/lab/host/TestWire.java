package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import dev.ofswitch.lab.host.wire.Ethernet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A deterministic in-memory network for host tests: NICs joined either directly (a cable between two ports) or
 * through a learning switch stub (MAC learning, flooding of broadcasts and unknown destinations).
 *
 * <pre>
 *   host A --[A.up: delay, jitter, loss, rate, down]--> fabric (taps) --[B.down: ...]--> host B
 * </pre>
 *
 * Every port has an uplink (host to fabric) and a downlink (fabric to host), each with its own {@link Link}
 * impairments. Links are FIFO unless {@link Link#reorder} allows jitter to reorder them. In {@link Mode#DIRECT} mode the fabric simply hands the frame to the other port. Taps see every frame
 * that crossed an uplink, in fabric order: the place where a switch (and its conntrack) would see it. Send hooks see
 * each frame as its host transmits it, deliver hooks as it reaches the receiving host.
 *
 * <p>Randomness (loss, jitter) comes from one seeded {@link Random}, drawn in event order, so a run is reproducible.
 *
 * <h2>Thread-safety</h2> Confined to the {@link VirtualScheduler}'s driving thread.
 */
final class TestWire {
    enum Mode {
        DIRECT,
        SWITCH
    }

    /** Impairments of one direction of one link. Mutable: tests change them mid-run. */
    static final class Link {
        long delayNanos;
        long jitterNanos;
        /**
         * Whether jitter may reorder frames. A real link is FIFO (false, the default): jitter then only stretches
         * gaps. True models a multipath network or netem's jitter, where a frame can overtake the one before it.
         */
        boolean reorder;
        double lossRate;
        /** Probability that a frame is delivered twice (the copy with its own jitter). */
        double duplicateRate;
        long rateBitsPerSecond;
        boolean down;
        /** Frames matching it are dropped (targeted loss), before random loss. */
        Predicate<byte[]> dropIf = f -> false;
        /** When the link's transmitter is busy until (for {@link #rateBitsPerSecond}). */
        long busyUntilNanos;
        /** Arrival time of the last frame, to keep a FIFO link in order. */
        long lastArrivalNanos;
        long dropped;

        Link delayMs(double ms) {
            delayNanos = (long) (ms * 1_000_000);
            return this;
        }

        Link jitterMs(double ms) {
            jitterNanos = (long) (ms * 1_000_000);
            return this;
        }

        Link reorder(boolean allowed) {
            reorder = allowed;
            return this;
        }

        Link loss(double rate) {
            lossRate = rate;
            return this;
        }

        Link duplicate(double rate) {
            duplicateRate = rate;
            return this;
        }

        Link rate(long bitsPerSecond) {
            rateBitsPerSecond = bitsPerSecond;
            return this;
        }
    }

    /** One NIC's attachment: the host's {@link FrameSender}. */
    final class Port implements FrameSender {
        final String name;
        final Link up = new Link();
        final Link down = new Link();
        Consumer<byte[]> receiver = f -> { };
        long sent;
        long delivered;

        Port(String name) {
            this.name = name;
        }

        @Override
        public void send(byte[] frame) {
            sent++;
            for (BiConsumer<Port, byte[]> h : sendHooks) {
                h.accept(this, frame);
            }
            traverse(up, frame, () -> fabric(this, frame));
        }

        /** Both directions at once. */
        void configure(Consumer<Link> c) {
            c.accept(up);
            c.accept(down);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final VirtualScheduler scheduler;
    private final Mode mode;
    private final Random random;
    private final List<Port> ports = new ArrayList<>();
    private final Map<Long, Port> macTable = new HashMap<>();
    final List<BiConsumer<Port, byte[]>> taps = new ArrayList<>();
    final List<BiConsumer<Port, byte[]>> sendHooks = new ArrayList<>();
    final List<BiConsumer<Port, byte[]>> deliverHooks = new ArrayList<>();
    /** Deliver inside {@code send()}, without going through the scheduler, on links without delay or rate. */
    boolean synchronous;

    TestWire(VirtualScheduler scheduler, Mode mode, long seed) {
        this.scheduler = scheduler;
        this.mode = mode;
        this.random = new Random(seed);
    }

    Port port(String name) {
        if (mode == Mode.DIRECT && ports.size() == 2) {
            throw new IllegalStateException("a direct cable has two ends");
        }
        Port p = new Port(name);
        ports.add(p);
        return p;
    }

    /** Creates a port, a host on it, and starts the host (the scheduler still has to run). */
    EmulatedHost host(HostConfig config) {
        Port p = port(config.name());
        EmulatedHost h = new EmulatedHost(config, scheduler, p);
        p.receiver = h::receive;
        h.start();
        return h;
    }

    Port portOf(EmulatedHost h) {
        for (Port p : ports) {
            if (p.name.equals(h.name())) {
                return p;
            }
        }
        throw new IllegalArgumentException("no port for " + h.name());
    }

    List<Port> ports() {
        return ports;
    }

    private void traverse(Link link, byte[] frame, Runnable next) {
        if (link.down || link.dropIf.test(frame)) {
            link.dropped++;
            return;
        }
        if (link.lossRate > 0 && random.nextDouble() < link.lossRate) {
            link.dropped++;
            return;
        }
        if (synchronous && link.delayNanos == 0 && link.jitterNanos == 0 && link.rateBitsPerSecond == 0) {
            next.run();
            return;
        }
        long now = scheduler.elapsedNanos();
        long delay = link.delayNanos;
        if (link.jitterNanos > 0) {
            delay += (long) (random.nextDouble() * link.jitterNanos);
        }
        if (link.rateBitsPerSecond > 0) {
            long txNanos = (long) (frame.length * 8 * 1e9 / link.rateBitsPerSecond);
            long startTx = Math.max(now, link.busyUntilNanos);
            link.busyUntilNanos = startTx + txNanos;
            delay += link.busyUntilNanos - now;
        }
        scheduler.schedule(arrival(link, now, delay), next);
        if (link.duplicateRate > 0 && random.nextDouble() < link.duplicateRate) {
            long again = link.delayNanos + (long) (random.nextDouble() * (link.jitterNanos + 1));
            scheduler.schedule(arrival(link, now, again), next);
        }
    }

    /** The delay to schedule with, pushed back behind the previous frame on a FIFO link. */
    private static long arrival(Link link, long now, long delay) {
        long at = now + delay;
        if (!link.reorder && at < link.lastArrivalNanos) {
            at = link.lastArrivalNanos;
        }
        link.lastArrivalNanos = Math.max(link.lastArrivalNanos, at);
        return at - now;
    }

    private void fabric(Port from, byte[] frame) {
        for (BiConsumer<Port, byte[]> t : taps) {
            t.accept(from, frame);
        }
        if (mode == Mode.DIRECT) {
            for (Port p : ports) {
                if (p != from) {
                    deliver(p, frame);
                }
            }
            return;
        }
        if (frame.length < Ethernet.HEADER_LEN) {
            return;
        }
        long src = Ethernet.src(frame);
        if (!Addresses.isMulticastMac(src)) {
            macTable.put(src, from);
        }
        long dst = Ethernet.dst(frame);
        Port to = Addresses.isMulticastMac(dst) ? null : macTable.get(dst);
        if (to == from) {
            return;
        }
        if (to != null) {
            deliver(to, frame);
            return;
        }
        for (Port p : ports) {
            if (p != from) {
                deliver(p, frame);
            }
        }
    }

    private void deliver(Port to, byte[] frame) {
        byte[] copy = frame.clone();
        traverse(to.down, copy, () -> {
            to.delivered++;
            for (BiConsumer<Port, byte[]> h : deliverHooks) {
                h.accept(to, copy);
            }
            to.receiver.accept(copy);
        });
    }
}
