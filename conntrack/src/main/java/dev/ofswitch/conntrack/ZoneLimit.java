package dev.ofswitch.conntrack;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection limit of one zone and its count (OVS {@code struct zone_limit}). A connection remembers the
 * {@code ZoneLimit} that admitted it and gives its slot back there when deleted, even if the limit changed meanwhile.
 *
 * <h2>Thread-safety</h2> The count is atomic; the limit is volatile. Check-then-increment is not atomic, as in OVS:
 * concurrent commits may overshoot by the number of datapath threads.
 */
final class ZoneLimit {
    final int zone;
    /** Set with {@code ct-set-limits zone=N}, as opposed to created for a zone under the default limit. */
    final boolean explicit;
    volatile int limit;
    final AtomicInteger count = new AtomicInteger();

    ZoneLimit(int zone, int limit, boolean explicit) {
        this.zone = zone;
        this.limit = limit;
        this.explicit = explicit;
    }
}
