package dev.ofswitch.ofswitch.pipeline;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The group table (OpenFlow 1.1+ groups: all, select, indirect, fast failover).
 *
 * <h2>Thread-safety</h2> Groups are immutable and replaced whole by the control thread; datapath threads read the map
 * ({@link #get}) and bump the counters. Between {@link #begin()} and {@link #commit()} (an OpenFlow bundle's commit)
 * the control thread's changes go to a private copy of the map, made on the first change, that {@link #commit()}
 * publishes with one volatile write and {@link #abort()} drops; {@link #current}, {@link #put}, {@link #remove} and
 * {@link #all} are the control thread's view, that copy included.
 */
public final class GroupTable {
    /** {@code OFPGT_ALL}, {@code OFPGT_SELECT}, {@code OFPGT_INDIRECT}, {@code OFPGT_FF}. */
    public static final int ALL = 0;
    public static final int SELECT = 1;
    public static final int INDIRECT = 2;
    public static final int FAST_FAILOVER = 3;

    /** One bucket: weight (select), watch port / group (fast failover), compiled actions. */
    public static final class Bucket {
        final int weight;
        final int watchPort;
        final long watchGroup;
        final Ops.Op[] actions;
        final Object source;
        final LongAdder packets = new LongAdder();
        final LongAdder bytes = new LongAdder();

        Bucket(int weight, int watchPort, long watchGroup, Ops.Op[] actions, Object source) {
            this.weight = weight;
            this.watchPort = watchPort;
            this.watchGroup = watchGroup;
            this.actions = actions;
            this.source = source;
        }

        /** The decoded bucket this was compiled from (for group-desc replies). */
        public Object source() {
            return source;
        }

        public long packets() {
            return packets.sum();
        }

        public long bytes() {
            return bytes.sum();
        }
    }

    /** One group. */
    public static final class Group {
        final long id;
        final int type;
        final Bucket[] buckets;
        final long createdNanos;
        final LongAdder packets = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final int totalWeight;

        Group(long id, int type, Bucket[] buckets, long createdNanos) {
            this.id = id;
            this.type = type;
            this.buckets = buckets;
            this.createdNanos = createdNanos;
            int w = 0;
            for (Bucket b : buckets) {
                w += Math.max(0, b.weight);
            }
            this.totalWeight = w;
        }

        public long id() {
            return id;
        }

        public int type() {
            return type;
        }

        public List<Bucket> buckets() {
            return List.of(buckets);
        }

        public long createdNanos() {
            return createdNanos;
        }

        public long packets() {
            return packets.sum();
        }

        public long bytes() {
            return bytes.sum();
        }
    }

    /** The published groups: what datapath threads read. Replaced whole only by {@link #commit()}. */
    private volatile Map<Long, Group> groups = new ConcurrentHashMap<>();
    /** Whether a transaction is open. Control thread only. */
    private boolean staging;
    /** The open transaction's private copy, made on its first change; null before. Control thread only. */
    private Map<Long, Group> working;

    /** The published group with {@code id}, or null. Any thread (the datapath's view). */
    public Group get(long id) {
        return groups.get(id);
    }

    /** The group with {@code id} as the control thread sees it (an open transaction's changes included), or null. */
    public Group current(long id) {
        return writerMap().get(id);
    }

    private Map<Long, Group> writerMap() {
        return working != null ? working : groups;
    }

    private Map<Long, Group> writable() {
        if (staging && working == null) {
            working = new ConcurrentHashMap<>(groups);
        }
        return writerMap();
    }

    /** Installs (or replaces) a group. Control thread. */
    public void put(Group g) {
        writable().put(g.id, g);
    }

    /** Removes a group; returns it or null. Control thread. */
    public Group remove(long id) {
        return writable().remove(id);
    }

    /** Every group by id, as the control thread sees them. */
    public Map<Long, Group> all() {
        return new TreeMap<>(writerMap());
    }

    public void clear() {
        writable().clear();
    }

    /** Starts a transaction (see the class comment). Control thread. */
    public void begin() {
        if (staging) {
            throw new IllegalStateException("a group transaction is already open");
        }
        staging = true;
    }

    /** Publishes the transaction's changes, if it made any, at once. Control thread. */
    public void commit() {
        if (working != null) {
            groups = working;
        }
        endTransaction();
    }

    /** Drops the transaction's changes: nothing was ever published. Control thread. */
    public void abort() {
        endTransaction();
    }

    private void endTransaction() {
        if (!staging) {
            throw new IllegalStateException("no group transaction is open");
        }
        staging = false;
        working = null;
    }

    /** Builds a bucket (used by the switch when it installs a decoded GROUP_MOD). */
    public static Bucket bucket(int weight, int watchPort, long watchGroup, Object compiledActions, Object source) {
        return new Bucket(weight, watchPort, watchGroup, (Ops.Op[]) compiledActions, source);
    }

    /** Builds a group. */
    public static Group group(long id, int type, List<Bucket> buckets, long createdNanos) {
        return new Group(id, type, buckets.toArray(new Bucket[0]), createdNanos);
    }
}
