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
 * and bump the counters.
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

    private final Map<Long, Group> groups = new ConcurrentHashMap<>();

    /** The group with {@code id}, or null. */
    public Group get(long id) {
        return groups.get(id);
    }

    /** Installs (or replaces) a group. Control thread. */
    public void put(Group g) {
        groups.put(g.id, g);
    }

    /** Removes a group; returns it or null. Control thread. */
    public Group remove(long id) {
        return groups.remove(id);
    }

    /** Every group by id. */
    public Map<Long, Group> all() {
        return new TreeMap<>(groups);
    }

    public void clear() {
        groups.clear();
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
