package dev.ofswitch.lab.controller;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/** One switch connected to the lab's controller: its datapath id and a way to send it messages. Thread-safe. */
public final class SwitchHandle {
    private final long dpid;
    private final Channel channel;
    private final AtomicInteger xids = new AtomicInteger(100);

    SwitchHandle(long dpid, Channel channel) {
        this.dpid = dpid;
        this.channel = channel;
    }

    public long dpid() {
        return dpid;
    }

    /** A fresh transaction id for a message to this switch. */
    public int nextXid() {
        return xids.incrementAndGet();
    }

    /** Sends one complete OpenFlow message. */
    public void send(byte[] message) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(message));
    }

    @Override
    public String toString() {
        return String.format("dpid %016x", dpid);
    }
}
