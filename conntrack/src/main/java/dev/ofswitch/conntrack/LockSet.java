package dev.ofswitch.conntrack;

/**
 * The bucket locks one operation holds: at most {@value #MAX}, always taken in ascending bucket index so that two
 * threads needing the same pair cannot deadlock. A packet usually needs one bucket; the reply of a NATed connection
 * needs its alias bucket and the connection's home; a NAT commit needs the home and the alias bucket.
 *
 * <p>Reused per packet (it lives in {@link CtMetadata}); allocates nothing. Confined to one thread.
 */
final class LockSet {
    static final int MAX = 4;

    private final Bucket[] held = new Bucket[MAX];
    private int n;
    private boolean locked;

    /** Empties the set; no lock may be held. */
    void reset() {
        for (int i = 1; i < n; i++) {
            held[i] = null;
        }
        n = 0;
        locked = false;
    }

    /** Adds {@code b} (kept sorted by index); returns false if it was there already. Not while locked. */
    boolean add(Bucket b) {
        if (n == 0) {
            held[0] = b;
            n = 1;
            return true;
        }
        int i = 0;
        while (i < n && held[i].index < b.index) {
            i++;
        }
        if (i < n && held[i] == b) {
            return false;
        }
        if (n == MAX) {
            throw new IllegalStateException("more than " + MAX + " buckets in one operation");
        }
        System.arraycopy(held, i, held, i + 1, n - i);
        held[i] = b;
        n++;
        return true;
    }

    boolean holds(Bucket b) {
        for (int i = 0; i < n; i++) {
            if (held[i] == b) {
                return locked;
            }
        }
        return false;
    }

    boolean contains(Bucket b) {
        for (int i = 0; i < n; i++) {
            if (held[i] == b) {
                return true;
            }
        }
        return false;
    }

    /** Locks every bucket of the set in ascending index order. */
    void lockAll() {
        for (int i = 0; i < n; i++) {
            held[i].lock();
        }
        locked = true;
    }

    /** Unlocks every bucket, in reverse order. */
    void unlockAll() {
        for (int i = n - 1; i >= 0; i--) {
            held[i].unlock();
        }
        locked = false;
    }
}
