package dev.ofswitch.lab.host;

/**
 * A growable FIFO of bytes over a circular array: TCP's send queue (unacknowledged and unsent data) and receive
 * buffer (in-order data the application has not read).
 *
 * <h2>Thread-safety</h2> None; owned by one connection on the scheduler thread.
 */
final class ByteQueue {
    private byte[] buf;
    /** Index of the first byte. */
    private int head;
    private int size;

    ByteQueue(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    void append(byte[] src, int off, int len) {
        ensureCapacity(size + len);
        int tail = (head + size) % buf.length;
        int first = Math.min(len, buf.length - tail);
        System.arraycopy(src, off, buf, tail, first);
        System.arraycopy(src, off + first, buf, 0, len - first);
        size += len;
    }

    /** Copies {@code len} bytes starting {@code offset} bytes after the head into {@code dst}. */
    void copy(int offset, byte[] dst, int dstOff, int len) {
        if (offset < 0 || len < 0 || offset + len > size) {
            throw new IndexOutOfBoundsException("copy " + offset + "+" + len + " of " + size);
        }
        int start = (head + offset) % buf.length;
        int first = Math.min(len, buf.length - start);
        System.arraycopy(buf, start, dst, dstOff, first);
        System.arraycopy(buf, 0, dst, dstOff + first, len - first);
    }

    /** Drops {@code n} bytes from the head. */
    void discard(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException("discard " + n + " of " + size);
        }
        head = (head + n) % buf.length;
        size -= n;
        if (size == 0) {
            head = 0;
        }
    }

    /** Removes and returns everything. */
    byte[] takeAll() {
        byte[] out = new byte[size];
        copy(0, out, 0, size);
        discard(size);
        return out;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    private void ensureCapacity(int needed) {
        if (needed <= buf.length) {
            return;
        }
        int cap = buf.length;
        while (cap < needed) {
            cap = Math.multiplyExact(cap, 2);
        }
        byte[] n = new byte[cap];
        copy(0, n, 0, size);
        buf = n;
        head = 0;
    }
}
