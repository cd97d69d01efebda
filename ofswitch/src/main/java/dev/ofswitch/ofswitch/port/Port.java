package dev.ofswitch.ofswitch.port;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One switch port: OpenFlow number and name, hardware address, configuration and link state, counters, an optional
 * pcap capture of what it sends and receives, and the sink its frames leave by.
 *
 * <h2>Thread-safety</h2> Number, name and address are immutable. Config, state, sink and pcap writers are volatile,
 * changed by the control thread and read by datapath threads. Counters are {@link LongAdder}s, bumped by any datapath
 * thread.
 */
public final class Port {
    private static final Logger log = LoggerFactory.getLogger(Port.class);

    /** {@code OFPPC_PORT_DOWN}. */
    public static final int CONFIG_PORT_DOWN = 1;
    /** {@code OFPPC_NO_RECV}. */
    public static final int CONFIG_NO_RECV = 1 << 2;
    /** {@code OFPPC_NO_FWD}. */
    public static final int CONFIG_NO_FWD = 1 << 5;
    /** {@code OFPPC_NO_PACKET_IN}. */
    public static final int CONFIG_NO_PACKET_IN = 1 << 6;
    /** {@code OFPPS_LINK_DOWN}. */
    public static final int STATE_LINK_DOWN = 1;
    /** {@code OFPPS_LIVE}. */
    public static final int STATE_LIVE = 1 << 2;

    /** {@code OFPP_LOCAL}. */
    public static final int LOCAL = 0xfffffffe;

    private final int number;
    private final String name;
    private final byte[] hwAddr;
    private final long createdNanos;
    private volatile int config;
    private volatile boolean linkUp = true;
    private volatile FrameSink sink = FrameSink.NONE;
    private volatile PcapWriter txPcap;
    private volatile PcapWriter rxPcap;

    public final LongAdder rxPackets = new LongAdder();
    public final LongAdder rxBytes = new LongAdder();
    public final LongAdder rxDropped = new LongAdder();
    public final LongAdder txPackets = new LongAdder();
    public final LongAdder txBytes = new LongAdder();
    public final LongAdder txDropped = new LongAdder();

    public Port(int number, String name, byte[] hwAddr, long createdNanos) {
        this.number = number;
        this.name = name;
        this.hwAddr = hwAddr.clone();
        this.createdNanos = createdNanos;
    }

    /** OpenFlow port number ({@link #LOCAL} for the local port). */
    public int number() {
        return number;
    }

    public String name() {
        return name;
    }

    public byte[] hwAddr() {
        return hwAddr.clone();
    }

    /** Switch clock reading when the port was created (port stats durations). */
    public long createdNanos() {
        return createdNanos;
    }

    /** {@code OFPPC_*} bits. */
    public int config() {
        return config;
    }

    public void setConfig(int config) {
        this.config = config;
    }

    /** {@code OFPPS_*} bits: LIVE when the link is up and the port is not down, else LINK_DOWN. */
    public int state() {
        return linkUp && (config & CONFIG_PORT_DOWN) == 0 ? STATE_LIVE : STATE_LINK_DOWN;
    }

    public boolean linkUp() {
        return linkUp;
    }

    public void setLinkUp(boolean up) {
        this.linkUp = up;
    }

    /** Whether frames can leave by this port now. */
    public boolean canForward() {
        return linkUp && (config & (CONFIG_PORT_DOWN | CONFIG_NO_FWD)) == 0;
    }

    /** Whether frames arriving here may enter the pipeline. */
    public boolean canReceive() {
        return linkUp && (config & (CONFIG_PORT_DOWN | CONFIG_NO_RECV)) == 0;
    }

    public void setSink(FrameSink sink) {
        this.sink = sink == null ? FrameSink.NONE : sink;
    }

    public void setPcap(PcapWriter tx, PcapWriter rx) {
        this.txPcap = tx;
        this.rxPcap = rx;
    }

    public PcapWriter txPcap() {
        return txPcap;
    }

    /** Counts and captures a frame that arrived on this port. */
    public void received(byte[] frame, int off, int len, long timeMicros) {
        rxPackets.increment();
        rxBytes.add(len);
        PcapWriter p = rxPcap;
        if (p != null) {
            capture(p, frame, off, len, timeMicros);
        }
    }

    /**
     * Sends a frame out of this port: counts it, captures it and hands it to the sink. A port that cannot forward
     * counts a tx drop instead.
     */
    public void transmit(byte[] frame, int off, int len, long timeMicros) {
        if (!canForward()) {
            txDropped.increment();
            return;
        }
        txPackets.increment();
        txBytes.add(len);
        PcapWriter p = txPcap;
        if (p != null) {
            capture(p, frame, off, len, timeMicros);
        }
        sink.deliver(frame, off, len);
    }

    private void capture(PcapWriter p, byte[] frame, int off, int len, long timeMicros) {
        try {
            p.write(frame, off, len, timeMicros);
        } catch (IOException e) {
            log.warn("port {}: pcap {} write failed: {}", name, p.path(), e.toString());
        }
    }

    /** Formats a MAC address as {@code aa:55:aa:55:00:01}. */
    public static String formatMac(byte[] mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((mac[i] >> 4) & 0xf, 16)).append(Character.forDigit(mac[i] & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return number + "(" + name + ")";
    }
}
