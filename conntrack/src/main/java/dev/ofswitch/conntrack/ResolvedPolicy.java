package dev.ofswitch.conntrack;

/**
 * A {@link TimeoutPolicy} turned into what the datapath needs per packet: for every timer (see {@link Timers}) its
 * timeout in nanoseconds and the expiry-list class of that timeout value. Immutable; built under the tracker's
 * policy lock and published through a volatile array.
 */
final class ResolvedPolicy {
    final TimeoutPolicy policy;
    /** Timeout per timer, nanoseconds. */
    final long[] nanos = new long[Timers.COUNT];
    /** Expiry-list class per timer: connections whose timeout is the same value share one list class. */
    final int[] listClass = new int[Timers.COUNT];

    ResolvedPolicy(TimeoutPolicy policy, TimeoutClasses classes) {
        this.policy = policy;
        for (int t = 0; t < Timers.COUNT; t++) {
            nanos[t] = policy.seconds(Timers.KEY[t]) * 1_000_000_000L;
            listClass[t] = classes.classOf(nanos[t]);
        }
    }
}
