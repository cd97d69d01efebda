package dev.ofswitch.ofswitch.port;

/** Where a port's outgoing frames go beyond the switch: a lab link, a host, nothing. Called on a datapath thread. */
@FunctionalInterface
public interface FrameSink {
    /** Delivers a copy of {@code frame[off, off+len)}; the caller may reuse its buffer afterwards. */
    void deliver(byte[] frame, int off, int len);

    /** A sink that drops everything. */
    FrameSink NONE = (frame, off, len) -> { };
}
