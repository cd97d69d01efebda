package dev.ofswitch.conntrack;

import java.util.Arrays;

/**
 * Gives every distinct timeout value a small integer, its <em>list class</em>. Each bucket keeps one expiry list per
 * class, so that every entry of a list has the same relative timeout, whatever state or policy gave it that value
 * (see the invariant on {@code Bucket.expiryHeads}).
 *
 * <h2>Thread-safety</h2> Classes are only ever added, under {@code this}; {@link #nanosOf(int)} and {@link #count()}
 * read a volatile copy-on-write array and take no lock.
 */
final class TimeoutClasses {
    private volatile long[] nanosByClass = new long[0];

    /** Returns the class of {@code timeoutNanos}, adding one if the value is new. */
    synchronized int classOf(long timeoutNanos) {
        long[] cur = nanosByClass;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == timeoutNanos) {
                return i;
            }
        }
        long[] next = Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = timeoutNanos;
        nanosByClass = next;
        return cur.length;
    }

    int count() {
        return nanosByClass.length;
    }

    long nanosOf(int listClass) {
        return nanosByClass[listClass];
    }

    /** The shortest timeout of any class (the soonest a connection created now can expire). */
    long minNanos() {
        long min = Long.MAX_VALUE;
        for (long n : nanosByClass) {
            min = Math.min(min, n);
        }
        return min;
    }
}
