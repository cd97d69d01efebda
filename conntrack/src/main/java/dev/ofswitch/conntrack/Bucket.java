package dev.ofswitch.conntrack;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/** Cache-line padding before the lock word, so that neighbouring buckets' locks do not share a line. */
abstract class BucketPadBefore {
    long p01, p02, p03, p04, p05, p06, p07;
}

/** The lock word of a bucket: 0 free, 1 held. */
abstract class BucketLockWord extends BucketPadBefore {
    volatile int lockWord;
}

/** Cache-line padding after the lock word. */
abstract class BucketPadAfter extends BucketLockWord {
    long p11, p12, p13, p14, p15, p16, p17;
}

/**
 * One of the tracker's independent buckets (the seed's {@code struct conntrack_bucket}): a lock, a hash table of the
 * connections whose key hashes here, and one expiry list per timeout value.
 *
 * <h2>Hash table</h2> Open addressing with linear probing and backward-shift deletion, no tombstones. Slot {@code i}
 * holds a connection reference and a tag: {@code (hash & ~3) | kind}, 0 when empty. Kind {@link #BOTH} is an un-NATed
 * connection homed here, matched by its original key or that key reversed; {@link #ORIG} a NATed one homed here,
 * matched by its original key only; {@link #REV} the translated reply key of a NATed connection, whose home may be
 * another bucket (its state is then guarded by that bucket's lock, see {@code ConnTracker}). The ideal slot of a tag is {@code (tag >>> 2) & mask}, so the two low bits are free
 * for the kind and the top bits (the bucket index) are not reused. The load factor stays at or below 1/2.
 *
 * <h2>Expiry lists and their invariant</h2> {@link #expiryHeads}/{@link #expiryTails} hold one doubly-linked list
 * (through {@code Conn.prev/next}) per list class, i.e. per distinct timeout <em>value</em>
 * ({@link TimeoutClasses}). <b>Invariant: every list is ordered by expiration, oldest first.</b> It holds because
 * every entry of a list has the same relative timeout T, every update sets {@code expiresAt = now + T} (rounded down
 * to the millisecond, {@link Timers#expiry}) and moves the entry to the tail unless that leaves its expiration
 * unchanged (equal expirations may be in any order), and {@code now} never goes backwards within a bucket ({@link #monotonicNow(long)} clamps the
 * few nanoseconds by which two datapath threads' readings can disagree). Lists are keyed by the timeout value, not by
 * a state name, so per-zone timeout policies cannot break it (the bug that made OVS drop ordered lists in 2022). The
 * cleaner therefore stops each list at its first unexpired entry.
 *
 * <h2>Thread-safety</h2> Every field below the lock is guarded by it. The lock is a test-and-test-and-set spin lock
 * that yields: it is held for one packet's lookup and update, or for at most {@link #SWEEP_CHUNK} deletions by the
 * cleaner. Lock order: a bucket lock is never held while taking another bucket's lock.
 */
final class Bucket extends BucketPadAfter {
    static final int BOTH = 1;
    static final int ORIG = 2;
    /** The reply-key alias of a NATed connection (homed here or in another bucket). */
    static final int REV = 3;

    /** The cleaner releases the lock after this many deletions so that datapath threads wait microseconds at most. */
    static final int SWEEP_CHUNK = 64;

    private static final int INITIAL_CAPACITY = 16;
    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(BucketLockWord.class, "lockWord", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int index;

    @GuardedBy("this") private int[] tags = new int[INITIAL_CAPACITY];
    @GuardedBy("this") private Conn[] slots = new Conn[INITIAL_CAPACITY];
    @GuardedBy("this") private int mask = INITIAL_CAPACITY - 1;
    /** Occupied slots. */
    @GuardedBy("this") private int used;
    /** Connections homed here (on an expiry list). */
    @GuardedBy("this") int homeCount;

    /** Heads and tails of the expiry lists, by list class. See the invariant in the class comment. */
    @GuardedBy("this") private Conn[] expiryHeads = new Conn[0];
    @GuardedBy("this") private Conn[] expiryTails = new Conn[0];

    /**
     * The connections homed here, by zone: an open-addressing table (linear probing on the zone number) of intrusive
     * lists through {@link Conn#zonePrev}/{@link Conn#zoneNext}, so that flushing one zone visits that zone's
     * connections only, and an empty zone costs one probe per bucket (OVS 3.1 keeps one map per zone for the same
     * reason). A zone's list stays in the table once created, empty or not: the table only grows, bounded by the
     * zones this bucket has seen.
     */
    @GuardedBy("this") private ZoneList[] zoneLists = new ZoneList[4];
    @GuardedBy("this") private int zoneListCount;

    /** The latest "now" any packet or sweep used in this bucket; keeps expirations monotonic here. */
    @GuardedBy("this") private long lastNowNanos;
    @GuardedBy("this") private boolean sawNow;
    /** No connection of this bucket expires before this; the cleaner skips the bucket until then. */
    @GuardedBy("this") long nextCleanupNanos;

    Bucket(int index, long nowNanos) {
        this.index = index;
        this.nextCleanupNanos = nowNanos;
    }

    // ---------------------------------------------------------------------------------------------- lock

    void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            lockSlow();
        }
    }

    private void lockSlow() {
        int spins = 0;
        while (true) {
            if (lockWord == 0 && LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            if (++spins < 128) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0);
    }

    boolean isHeldByAnyone() {
        return lockWord != 0;
    }

    /** Returns {@code nowNanos}, or the latest now seen here if that is later. Lock held. */
    long monotonicNow(long nowNanos) {
        if (!sawNow || nowNanos - lastNowNanos > 0) {
            lastNowNanos = nowNanos;
            sawNow = true;
        }
        return lastNowNanos;
    }

    // ---------------------------------------------------------------------------------------------- hash table

    /**
     * Finds the connection whose original key, or (un-NATed) reverse key, or translated reply key (an alias entry)
     * is {@code k}, and sets {@code k.reply}. Expired connections are returned too; the caller decides. The alias of
     * a deleted connection is removed on the way. Lock held.
     */
    Conn lookup(PacketKey k) {
        final int h = k.hash;
        final int want = h & ~3;
        final int[] tags = this.tags;
        final Conn[] slots = this.slots;
        final int mask = this.mask;
        for (int i = (h >>> 2) & mask; ; i = (i + 1) & mask) {
            int t = tags[i];
            if (t == 0) {
                return null;
            }
            if ((t & ~3) == want) {
                Conn c = slots[i];
                int kind = t & 3;
                if (kind == REV) {
                    if (c.dead) {
                        // The alias of a connection deleted under its home lock only: drop it here and look at
                        // whatever the backward shift moved into this slot.
                        removeAt(i);
                        i = (i - 1) & mask;
                        continue;
                    }
                    if (c.nat.matches(k, c)) {
                        k.reply = true;
                        return c;
                    }
                } else if (c.matchesOrig(k)) {
                    k.reply = false;
                    return c;
                } else if (kind == BOTH && c.matchesReply(k)) {
                    k.reply = true;
                    return c;
                }
            }
        }
    }

    /**
     * A prefetch hint, without the lock: reads the tag and the connection of the first slot a lookup of {@code hash}
     * probes and returns that connection (or null). The reads are racy and the result is only a hint: the caller
     * touches the connection and its expiry-list successor next, so that the cache misses of a whole batch overlap
     * before the batch is processed under the locks.
     */
    @SuppressWarnings("GuardedBy")
    Conn touchSlot(int hash) {
        int[] t = tags;
        Conn[] s = slots;
        int i = (hash >>> 2) & (t.length - 1);
        return t[i] != 0 && i < s.length ? s[i] : null;
    }

    /** Adds {@code c} (homed here) to the table with {@code kind}. Lock held. */
    void insert(Conn c, int kind) {
        insert(c, c.hash, kind);
    }

    /** Adds an entry for {@code c} under {@code hash} with {@code kind} (a NAT reply alias uses its own hash). */
    void insert(Conn c, int hash, int kind) {
        if ((used + 1) * 2 > mask + 1) {
            resize((mask + 1) * 2);
        }
        int tag = (hash & ~3) | kind;
        int[] tags = this.tags;
        int i = (hash >>> 2) & mask;
        while (tags[i] != 0) {
            i = (i + 1) & mask;
        }
        tags[i] = tag;
        slots[i] = c;
        used++;
    }

    /** Removes the table entry of {@code c} found by {@code hash}. Returns false if there was none. Lock held. */
    boolean remove(Conn c, int hash) {
        return remove(c, hash, c.nat == null ? BOTH : ORIG);
    }

    /** Removes the entry of {@code c} of {@code kind} found by {@code hash}. Lock held. */
    boolean remove(Conn c, int hash, int kind) {
        final int mask = this.mask;
        final int want = (hash & ~3) | kind;
        for (int i = (hash >>> 2) & mask; ; i = (i + 1) & mask) {
            int t = tags[i];
            if (t == 0) {
                return false;
            }
            if (t == want && slots[i] == c) {
                removeAt(i);
                return true;
            }
        }
    }

    /** Backward-shift deletion: moves later entries of the probe run into the hole so no tombstone is needed. */
    private void removeAt(int hole) {
        final int[] tags = this.tags;
        final Conn[] slots = this.slots;
        final int mask = this.mask;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            int t = tags[i];
            if (t == 0) {
                break;
            }
            int ideal = (t >>> 2) & mask;
            // Move the entry at i into the hole if its ideal slot is not in (hole, i] (cyclically).
            boolean movable = hole <= i ? (ideal <= hole || ideal > i) : (ideal <= hole && ideal > i);
            if (movable) {
                tags[hole] = t;
                slots[hole] = slots[i];
                hole = i;
            }
        }
        tags[hole] = 0;
        slots[hole] = null;
        used--;
    }

    private void resize(int capacity) {
        int[] oldTags = tags;
        Conn[] oldSlots = slots;
        tags = new int[capacity];
        slots = new Conn[capacity];
        mask = capacity - 1;
        for (int j = 0; j < oldTags.length; j++) {
            int t = oldTags[j];
            if (t != 0) {
                int i = (t >>> 2) & mask;
                while (tags[i] != 0) {
                    i = (i + 1) & mask;
                }
                tags[i] = t;
                slots[i] = oldSlots[j];
            }
        }
    }

    /** Shrinks the table when it is mostly empty (the seed's {@code hmap_shrink()} after a full sweep). Lock held. */
    void shrinkIfSparse() {
        int capacity = mask + 1;
        if (capacity > INITIAL_CAPACITY && used * 8 < capacity) {
            int target = INITIAL_CAPACITY;
            while (target < used * 4) {
                target *= 2;
            }
            resize(target);
        }
    }

    /** Copies the connections homed here into {@code out} starting at {@code from}; returns the new count. */
    int collectHome(Conn[] out, int from) {
        int n = from;
        for (int i = 0; i < tags.length; i++) {
            int t = tags[i];
            if (t != 0 && (t & 3) != REV && slots[i].home == this) {
                out[n++] = slots[i];
            }
        }
        return n;
    }

    /** The number of occupied slots. Lock held. */
    int used() {
        return used;
    }

    /** Table capacity in slots. Lock held. */
    int capacity() {
        return mask + 1;
    }

    // ---------------------------------------------------------------------------------------------- zone lists

    /** The connections of one zone homed in a bucket: the head of their list and how many there are. */
    static final class ZoneList {
        final int zone;
        Conn head;
        int count;

        ZoneList(int zone) {
            this.zone = zone;
        }
    }

    /** The list of {@code zone}'s connections homed here, or null if this bucket never had one. Lock held. */
    ZoneList zoneList(int zone) {
        ZoneList[] t = zoneLists;
        int mask = t.length - 1;
        for (int i = zoneSlot(zone, mask); ; i = (i + 1) & mask) {
            ZoneList zl = t[i];
            if (zl == null || zl.zone == zone) {
                return zl;
            }
        }
    }

    /** Puts {@code c} (homed here, on no zone list) at the head of its zone's list. Lock held. */
    void zoneLink(Conn c) {
        ZoneList zl = zoneList(c.zone);
        if (zl == null) {
            zl = addZoneList(c.zone);
        }
        Conn h = zl.head;
        c.zonePrev = null;
        c.zoneNext = h;
        if (h != null) {
            h.zonePrev = c;
        }
        zl.head = c;
        zl.count++;
    }

    /** Takes {@code c} off its zone's list. Lock held. */
    void zoneUnlink(Conn c) {
        Conn p = c.zonePrev;
        Conn n = c.zoneNext;
        ZoneList zl = zoneList(c.zone);
        if (p == null) {
            zl.head = n;
        } else {
            p.zoneNext = n;
        }
        if (n != null) {
            n.zonePrev = p;
        }
        c.zonePrev = null;
        c.zoneNext = null;
        zl.count--;
    }

    /** Copies {@code zone}'s connections homed here into {@code out}; returns how many. Lock held. */
    int collectZone(int zone, Conn[] out) {
        ZoneList zl = zoneList(zone);
        int n = 0;
        for (Conn c = zl == null ? null : zl.head; c != null; c = c.zoneNext) {
            out[n++] = c;
        }
        return n;
    }

    /** How many connections of {@code zone} are homed here. Lock held. */
    int zoneCount(int zone) {
        ZoneList zl = zoneList(zone);
        return zl == null ? 0 : zl.count;
    }

    private ZoneList addZoneList(int zone) {
        if ((zoneListCount + 1) * 2 > zoneLists.length) {
            ZoneList[] old = zoneLists;
            ZoneList[] t = new ZoneList[old.length * 2];
            int mask = t.length - 1;
            for (ZoneList zl : old) {
                if (zl != null) {
                    int i = zoneSlot(zl.zone, mask);
                    while (t[i] != null) {
                        i = (i + 1) & mask;
                    }
                    t[i] = zl;
                }
            }
            zoneLists = t;
        }
        ZoneList[] t = zoneLists;
        int mask = t.length - 1;
        int i = zoneSlot(zone, mask);
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        ZoneList zl = new ZoneList(zone);
        t[i] = zl;
        zoneListCount++;
        return zl;
    }

    /** Spreads zone numbers (often small and consecutive) over the table. */
    private static int zoneSlot(int zone, int mask) {
        return (zone * 0x9E3779B1 >>> 16) & mask;
    }

    // ---------------------------------------------------------------------------------------------- expiry lists

    /** Puts {@code c} at the tail of list {@code listClass}. Lock held; {@code c} is on no list. */
    void listAppend(Conn c, int listClass) {
        if (listClass >= expiryHeads.length) {
            expiryHeads = Arrays.copyOf(expiryHeads, listClass + 1);
            expiryTails = Arrays.copyOf(expiryTails, listClass + 1);
        }
        c.listClass = listClass;
        c.next = null;
        Conn tail = expiryTails[listClass];
        c.prev = tail;
        if (tail == null) {
            expiryHeads[listClass] = c;
        } else {
            tail.next = c;
        }
        expiryTails[listClass] = c;
        if (c.expiresAtNanos - nextCleanupNanos < 0) {
            nextCleanupNanos = c.expiresAtNanos;
        }
    }

    /** Takes {@code c} off its list. Lock held. */
    void listRemove(Conn c) {
        int cls = c.listClass;
        Conn p = c.prev;
        Conn n = c.next;
        if (p == null) {
            expiryHeads[cls] = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            expiryTails[cls] = p;
        } else {
            n.prev = p;
        }
        c.prev = null;
        c.next = null;
    }

    /**
     * Re-arms {@code c}: expiration {@code now + timeout} (to the millisecond), moved to the tail of list
     * {@code listClass} (the same list or another) unless its expiration stays the same. This is the update that
     * keeps every list ordered. Lock held.
     */
    void rearm(Conn c, long nowNanos, long timeoutNanos, int listClass) {
        long expires = Timers.expiry(nowNanos, timeoutNanos);
        if (c.listClass == listClass && (c.expiresAtNanos == expires || expiryTails[listClass] == c)) {
            // Already last (the hot path of a single busy connection), or re-armed within the same millisecond: the
            // list stays ordered without a move, which would touch two more entries (two cache misses per packet
            // with many connections).
            c.expiresAtNanos = expires;
            if (expires - nextCleanupNanos < 0) {
                nextCleanupNanos = expires;
            }
            return;
        }
        c.expiresAtNanos = expires;
        listRemove(c);
        listAppend(c, listClass);
    }

    /** The head (oldest entry) of list {@code listClass}, or null. Lock held. */
    Conn listHead(int listClass) {
        return listClass < expiryHeads.length ? expiryHeads[listClass] : null;
    }

    /** The number of list classes this bucket has lists for. Lock held. */
    int listClassCount() {
        return expiryHeads.length;
    }
}
