package dev.ofswitch.conntrack;

import dev.ofswitch.conntrack.tcp.TcpPeer;
import dev.ofswitch.conntrack.tcp.TcpTracker;
import dev.ofswitch.conntrack.time.SwitchClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A userspace connection tracker with Open vSwitch's semantics: the engine behind the {@code ct()} action.
 *
 * <h2>What</h2> {@link #execute} takes one Ethernet frame, a zone and a {@link CtParams} ({@code commit},
 * {@code force}, mark and label writes) and fills the packet's {@link CtMetadata}: the {@code ct_state} bits
 * ({@code new est rel rpl inv trk}), zone, mark, 128-bit label and the original-direction tuple. Connections are
 * created only by a commit; zones isolate identical tuples; TCP is tracked with pf's sequence windows
 * ({@link TcpTracker}), UDP and other protocols by direction, ICMP echo by identifier, and an ICMP error that quotes a
 * tracked connection is {@code +rel}. The verdicts are OVS 3.1's, checked against real OVS by the oracle examples.
 *
 * <h2>Design</h2> This is the design of OVS commit "conntrack: Periodically delete expired connections" (2016), the
 * seed of this project. Connections live in {@value #DEFAULT_BUCKETS} independent {@link Bucket}s chosen by a
 * symmetric hash of the key, so both directions of a connection meet in one bucket. Each bucket has its own lock and
 * hash table, and one expiry list per timeout value, kept ordered because every entry of a list has the same relative
 * timeout and an update moves the entry to the back. A packet takes exactly one bucket lock, for its lookup, its
 * tracker update, its timer re-arm (a move to the tail of a list) and, on a commit, the insertion. Nothing is shared
 * between buckets but the connection counters, which are striped ({@link LongAdder}).
 *
 * <p>The cleaner ({@link Cleaner}, a thread) sweeps every bucket whose {@code nextCleanup} is due: it walks each
 * expiry list from the head and stops at the first unexpired entry, deleting at most
 * {@code max(SWEEP_CHUNK, bucket size / 10, connLimit / (buckets * 10))} per bucket per pass, and releases the bucket
 * lock every {@code SWEEP_CHUNK} ({@value Bucket#SWEEP_CHUNK}) deletions so datapath threads wait microseconds at
 * most. Then it sleeps until {@code max(next expiry, now + CT_CLEAN_INTERVAL)} ({@value #CT_CLEAN_INTERVAL_MS} ms)
 * if it kept up, or for {@code CT_CLEAN_MIN_INTERVAL} ({@value #CT_CLEAN_MIN_INTERVAL_MS} ms) if a bucket hit its
 * limit. Until it runs, expired connections are invisible: lookups, dumps and flushes treat them as gone, and a lookup
 * that meets one deletes it on the spot.
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>At most one live connection per key and zone: commits happen under the bucket lock after a lookup found none.
 * <li>Every expiry list is ordered by expiration (see {@link Bucket}); policies are resolved to list classes by
 * timeout value ({@link TimeoutClasses}), so a per-zone policy cannot break the order.
 * <li>{@code bucket.nextCleanup} is at or before the expiration of every connection in the bucket.
 * </ul>
 *
 * <h2>Thread-safety</h2> {@link #execute} may be called from any number of datapath threads. Control operations
 * ({@link #dump}, {@link #flush}, limits, policies) may run concurrently with them; each takes bucket locks one at a
 * time. Lock order: a bucket lock is never held while another is taken; {@link Cleaner}'s monitor is never held while
 * a bucket lock is taken. The clock is only read, through {@code nowNanos} parameters and the cleaner.
 *
 * <h2>Costs</h2> An established packet: one parse (IPv4 header checksum, L4 checksum unless UDP's is 0), one hash,
 * one uncontended lock, one probe, a tracker update, and allocates nothing. A commit allocates one {@link Conn} (two
 * more small objects for TCP).
 *
 * <h2>References</h2> OVS {@code lib/conntrack.c} ({@code process_one()}, {@code conn_update_state()},
 * {@code conn_not_found()}, {@code write_ct_md()}, {@code process_one_fast()}, {@code sweep_bucket()},
 * {@code clean_thread_main()}), {@code lib/conntrack-other.c}, {@code lib/conntrack-icmp.c}.
 */
public final class ConnTracker implements AutoCloseable {
    /** The seed's {@code CONNTRACK_BUCKETS}. */
    public static final int DEFAULT_BUCKETS = 256;
    /** OVS's {@code DEFAULT_N_CONN_LIMIT}. */
    public static final int DEFAULT_CONN_LIMIT = 3_000_000;
    /** The cleaner waits at least this long between passes when it keeps up. */
    public static final long CT_CLEAN_INTERVAL_MS = 5000;
    /** The cleaner waits this long between passes when it falls behind, leaving the buckets to the datapath. */
    public static final long CT_CLEAN_MIN_INTERVAL_MS = 200;

    private static final int REASON_EXPIRED = 0;
    private static final int REASON_FLUSHED = 1;

    private final SwitchClock clock;
    private final Bucket[] buckets;
    private final int bucketShift;
    private final TimeoutClasses classes = new TimeoutClasses();
    private volatile ResolvedPolicy defaultPolicy;
    /** Per-zone policies, indexed by zone; null entries use {@link #defaultPolicy}. Copy-on-write. */
    private volatile ResolvedPolicy[] zonePolicies;
    /** Per-zone limits, indexed by zone; null when the zone has none. Copy-on-write under {@code this}. */
    private volatile ZoneLimit[] zoneLimits;
    /** The default per-zone limit, or -1 for none; applies to zones without their own. */
    private volatile int defaultZoneLimit = -1;
    private volatile int connLimit;
    private volatile boolean tcpSeqCheck = true;

    private final LongAdder connections = new LongAdder();
    private final LongAdder created = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder flushed = new LongAdder();
    private final LongAdder full = new LongAdder();
    private final LongAdder zoneFull = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder natExhausted = new LongAdder();

    /** Serializes NAT allocations (OVS 3.1 holds its global {@code ct_lock} for every commit). */
    private final ReentrantLock natLock = new ReentrantLock();
    private final NatSelector.Probe probe = this::probeFree;
    /** NAT connections deleted under their home lock whose alias (in another bucket) is still in place. */
    private final ConcurrentLinkedQueue<Conn> deadAliases = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingAliases = new AtomicInteger();

    private final Cleaner cleaner;

    /** Builds a tracker and, unless the config says otherwise, starts its cleaner thread. */
    public ConnTracker(ConnTrackerConfig config) {
        this.clock = config.clock;
        this.connLimit = config.connLimit;
        long now = clock.nanoTime();
        this.buckets = new Bucket[config.buckets];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new Bucket(i, now);
        }
        this.bucketShift = 32 - Integer.numberOfTrailingZeros(config.buckets);
        this.defaultPolicy = new ResolvedPolicy(TimeoutPolicy.defaults(), classes);
        this.cleaner = new Cleaner(this, clock);
        if (config.cleanerThread) {
            cleaner.start();
        }
    }

    /** A tracker with default settings on {@code clock}. */
    public static ConnTracker create(SwitchClock clock) {
        return new ConnTracker(ConnTrackerConfig.defaults().clock(clock));
    }

    /** The clock this tracker and its cleaner read. */
    public SwitchClock clock() {
        return clock;
    }

    // ============================================================================================ datapath

    /** processLocked/natCommit outcomes. */
    private static final int DONE = 0;
    private static final int NEED_NAT_COMMIT = 1;
    private static final int RETRY = 2;
    /** A NAT commit that keeps losing races gives up (the packet goes on uncommitted, as on exhaustion). */
    private static final int MAX_NAT_RETRIES = 16;

    /**
     * Tracks one packet: OVS's {@code conntrack_execute()} for a batch of one.
     *
     * @param frame    the Ethernet frame; rewritten in place when a {@code nat} applies
     * @param off      offset of the Ethernet header in {@code frame}
     * @param len      frame length, without FCS
     * @param zone     conntrack zone, 0..65535
     * @param params   commit, force, mark/label writes, nat
     * @param md       the packet's metadata: read (a cached connection, the previous state) and written
     * @param nowNanos the switch clock's reading for this packet
     */
    public void execute(byte[] frame, int off, int len, int zone, CtParams params, CtMetadata md, long nowNanos) {
        if (md.state != 0 && md.zone != zone) {
            md.state = 0;   // entering a new zone: reset ct_state
        }
        Conn cached = md.conn;
        if (cached != null && cached.zone == zone && !params.force && params.helper == null
                && !isAlgControl(frame, off, len)) {
            processFast(cached, zone, params, md, frame, off, len);
            return;
        }
        PacketKey k = md.key;
        if (!k.extract(frame, off, len, zone)) {
            invalid.increment();
            md.state = CtState.INV;
            writeMetadata(md, zone, null, null);
            return;
        }
        trackParsed(frame, off, len, params, md, nowNanos);
    }

    /** {@link #execute} once the packet's key is in {@code md.key} (not for the fast path). */
    private void trackParsed(byte[] frame, int off, int len, CtParams params, CtMetadata md, long nowNanos) {
        PacketKey k = md.key;
        int stateIn = md.state;
        md.natPending = null;
        for (int attempt = 0; ; attempt++) {
            int r = processLocked(k, frame, params, md, nowNanos);
            if (r == NEED_NAT_COMMIT) {
                r = attempt < MAX_NAT_RETRIES ? natCommit(k, frame, params, md, nowNanos)
                        : finishWithoutConn(md, k);
            }
            if (r != RETRY) {
                break;
            }
            md.state = stateIn;     // another thread committed this tuple or took the reply tuple: start over
        }
        Conn nc = md.natPending;
        if (nc != null) {
            md.natPending = null;
            NatRewriter.handleNat(frame, off + len, k, nc, md, md.natPendingReply, k.icmpRelated);
        }
        if (pendingAliases.get() != 0) {
            drainDeadAliases();
        }
        if ((md.state & CtState.INV) != 0) {
            invalid.increment();
        }
    }

    /** Where {@link #executeBatch} leaves its prefetch reads, so that the JIT keeps them. */
    private int prefetchSink;

    /**
     * Tracks {@code n} packets that share a zone and the action's parameters, as OVS's {@code conntrack_execute()}
     * does for a packet batch: the result is exactly that of {@link #execute} on each packet in order. The batch is
     * parsed first and the hash-table slots its packets will probe are touched ({@link Bucket#touch}), so that the
     * cache misses of different packets overlap instead of following one another; then each packet is processed.
     * Every packet needs its own {@link CtMetadata}.
     */
    public void executeBatch(byte[][] frames, int[] offs, int[] lens, int n, int zone, CtParams params,
                             CtMetadata[] mds, long nowNanos) {
        if (params.nat != null) {
            // A translation rewrites its frame: keep the packet-by-packet order of parsing and rewriting.
            for (int i = 0; i < n; i++) {
                execute(frames[i], offs[i], lens[i], zone, params, mds[i], nowNanos);
            }
            return;
        }
        parseAndPrefetch(frames, offs, lens, n, zone, mds, nowNanos);
        for (int i = 0; i < n; i++) {
            CtMetadata md = mds[i];
            if (md.batchParsed) {
                md.batchParsed = false;
                if (md.state != 0 && md.zone != zone) {
                    md.state = 0;
                }
                trackParsed(frames[i], offs[i], lens[i], params, md, nowNanos);
            } else {
                execute(frames[i], offs[i], lens[i], zone, params, md, nowNanos);
            }
        }
    }

    /**
     * {@link #executeBatch}'s first half: parses the batch's packets and touches, for all of them, each level of the
     * lookup's pointer chain in turn. Kept out of {@link #executeBatch} so that the JIT's inlining budget for the
     * per-packet processing below is not spent on these loops.
     */
    private void parseAndPrefetch(byte[][] frames, int[] offs, int[] lens, int n, int zone, CtMetadata[] mds,
                                  long nowNanos) {
        int sink = 0;
        for (int i = 0; i < n; i++) {
            CtMetadata md = mds[i];
            md.batchParsed = false;
            Conn cached = md.conn;
            if (cached != null && cached.zone == zone) {
                continue;   // may take the fast path: decided below, in order
            }
            PacketKey k = md.key;
            if (k.extract(frames[i], offs[i], lens[i], zone)) {
                md.batchParsed = true;
            }
        }
        // Tight loops of independent loads, one level of the lookup's pointer chain per loop (slot, connection, its
        // list successor), so that the misses of all the batch's packets are in flight at once. These reads take no
        // lock: a stale value only changes what is fetched early, never what the locked processing below sees.
        for (int i = 0; i < n; i++) {
            CtMetadata md = mds[i];
            if (md.batchParsed) {
                int h = md.key.hash;
                md.prefetched = bucketOf(h).touchSlot(h);
            }
        }
        for (int i = 0; i < n; i++) {
            Conn c = mds[i].prefetched;
            if (c != null) {
                // A re-arm that changes the expiration moves the entry to its list's tail, touching its neighbour:
                // fetch that one too, but only then. A re-arm within the same millisecond leaves the entry alone, and
                // an unconditional fetch cost a fifth of the lookup rate of ct-multi (500 000 connections, frozen
                // clock): 5.5 -> 7.3 Mpps without it.
                boolean moves = c.expiresAtNanos != Timers.expiry(nowNanos, classes.nanosOf(c.listClass));
                mds[i].prefetched = moves ? c.next : null;
            }
        }
        for (int i = 0; i < n; i++) {
            Conn c = mds[i].prefetched;
            if (c != null) {
                sink += c.listClass;
                mds[i].prefetched = null;
            }
        }
        prefetchSink += sink;
    }

    /**
     * The bucket of a key hash: its top bits. The shift is done on 64 bits because with one bucket it is 32, which
     * Java's {@code int >>>} would take as 0.
     */
    private int bucketIndex(int hash) {
        return (int) ((hash & 0xffffffffL) >>> bucketShift);
    }

    private Bucket bucketOf(int hash) {
        return buckets[bucketIndex(hash)];
    }

    /**
     * Looks the packet up and runs {@link #processOne} with every bucket it needs locked: the key's bucket, the home
     * of the connection found there (another bucket when the key is a NAT reply alias) and, for OVS's
     * {@code check_orig_tuple()}, the bucket of the packet's original tuple and its connection's home.
     */
    private int processLocked(PacketKey k, byte[] frame, CtParams params, CtMetadata md, long nowNanos) {
        Bucket b = bucketOf(k.hash);
        LockSet ls = md.locks;
        ls.reset();
        ls.add(b);
        boolean origCheck = params.nat == null && (md.state & (CtState.SNAT | CtState.DNAT)) != 0
                && md.tupleProto != 0 && md.tupleFamily == (k.v6 ? 6 : 4);
        if (!origCheck) {
            // The common case: one bucket, holding the key and the connection it finds.
            ls.lockAll();
            Conn c = b.lookup(k);
            if (c == null || c.home == b) {
                try {
                    return processOne(b, c, null, k, frame, params, md, nowNanos);
                } finally {
                    ls.unlockAll();
                }
            }
            ls.unlockAll();
        }
        PacketKey ok = null;
        Bucket ob = null;
        if (origCheck) {
            ok = md.key2;
            origTupleKey(ok, md, k);
            ob = bucketOf(ok.hash);
            ls.add(ob);
        }
        while (true) {
            ls.lockAll();
            Conn c = b.lookup(k);
            if (c != null && !ls.contains(c.home)) {
                ls.unlockAll();
                ls.add(c.home);
                continue;
            }
            Conn oc = null;
            if (ok != null) {
                oc = ob.lookup(ok);
                if (oc != null && !ls.contains(oc.home)) {
                    ls.unlockAll();
                    ls.add(oc.home);
                    continue;
                }
            }
            try {
                return processOne(b, c, oc, k, frame, params, md, nowNanos);
            } finally {
                ls.unlockAll();
            }
        }
    }

    /**
     * OVS {@code check_orig_tuple()}'s key: a packet translated earlier in this zone is looked up by the original tuple
     * its metadata carries (an ICMP packet keeps its own identifier and takes the tuple's type).
     */
    private static void origTupleKey(PacketKey ok, CtMetadata md, PacketKey k) {
        ok.v6 = k.v6;
        ok.zone = md.zone;
        ok.proto = md.tupleProto;
        ok.src0 = md.tupleSrc0;
        ok.src1 = md.tupleSrc1;
        ok.dst0 = md.tupleDst0;
        ok.dst1 = md.tupleDst1;
        ok.icmpRelated = false;
        ok.reply = false;
        if (k.proto == (k.v6 ? PacketKey.PROTO_ICMPV6 : PacketKey.PROTO_ICMP)) {
            int type = md.tupleTpSrc & 0xff;
            int rtype = k.v6 ? (type == 128 ? 129 : type == 129 ? 128 : type) : PacketKey.reverseIcmp4Type(type);
            ok.icmpId = k.icmpId;
            ok.ports = (type << 24) | (rtype << 8);
        } else {
            ok.icmpId = 0;
            ok.ports = (md.tupleTpSrc << 16) | md.tupleTpDst;
        }
        ok.hash = ok.hash();
    }

    /**
     * OVS {@code process_one()}, with the locks of the key's bucket {@code b}, of {@code c}'s home and of
     * {@code oc}'s home held. {@code c} is what the key found, {@code oc} what the original tuple found (or null).
     * Returns {@link #NEED_NAT_COMMIT} when a new connection must be committed with NAT, which
     * {@link #natCommit} does without these locks.
     */
    private int processOne(Bucket b, Conn c, Conn oc, PacketKey k, byte[] frame, CtParams params, CtMetadata md,
                           long nowNanos) {
        LockSet ls = md.locks;
        if (c != null && c.expired(c.home.monotonicNow(nowNanos))) {
            deleteLocked(c, REASON_EXPIRED, ls);
            c = null;
        }
        if (c != null && params.force && k.reply) {
            // 'force' deletes a connection seen in the reply direction; this packet starts a new one.
            deleteLocked(c, REASON_FLUSHED, ls);
            c = null;
        }
        if (oc != null && (oc.dead || oc.expired(oc.home.monotonicNow(nowNanos)))) {
            oc = null;
        }
        boolean createNew = false;
        boolean found = false;
        if (c != null) {
            createNew = updateState(c, k, frame, md, nowNanos, ls);
            if (createNew) {
                c = null;
            } else {
                found = true;
            }
        } else if (oc != null) {
            k.reply = false;
            createNew = updateState(oc, k, frame, md, nowNanos, ls);
            c = createNew ? null : oc;
        } else if (k.icmpRelated) {
            md.state = CtState.INV;     // an ICMP error never creates a connection
        } else {
            createNew = true;
        }
        if (createNew) {
            if (params.nat != null && params.commit) {
                if (validNew(k, frame)) {
                    md.state = CtState.NEW;
                    return NEED_NAT_COMMIT;
                }
                md.state = CtState.INV;
            } else {
                c = notFound(b, k, frame, params, md, b.monotonicNow(nowNanos));
            }
        }
        writeMetadata(md, k.zone, c, k);
        if (c != null) {
            applyMarkAndLabel(c, params, md);
        }
        // Cached even after a nat: in OVS 3.1 a later ct() of the packet in this zone takes the fast path (checked
        // against real OVS: no lookup by the translated tuple, no second tracker update).
        md.conn = c;
        if (found && params.nat != null && c.nat != null) {
            md.natPending = c;
            md.natPendingReply = k.reply;
        }
        md.reply = k.reply;
        md.icmpRelated = k.icmpRelated;
        return DONE;
    }

    /**
     * OVS {@code conn_update_state()}: runs the tracker and sets the state bits. Returns true if the connection was
     * deleted and the packet must be treated as new (a TCP SYN reusing a closed connection's tuple).
     */
    private boolean updateState(Conn c, PacketKey k, byte[] frame, CtMetadata md, long nowNanos, LockSet ls) {
        if (k.icmpRelated) {
            md.state |= CtState.REL;
            if (k.reply) {
                md.state |= CtState.RPL;
            }
            return false;
        }
        switch (updateTracker(c, k, frame, c.home.monotonicNow(nowNanos))) {
            case TcpTracker.VALID:
                md.state = (md.state | CtState.EST) & ~CtState.NEW;
                if (k.reply) {
                    md.state |= CtState.RPL;
                }
                return false;
            case TcpTracker.INVALID:
                md.state = CtState.INV;
                return false;
            case TcpTracker.NEW:
                deleteLocked(c, REASON_FLUSHED, ls);
                return true;
            default: // VALID_NEW
                md.state |= CtState.NEW;
                return false;
        }
    }

    /** Runs the protocol's tracker on an existing connection and re-arms its timer; returns a verdict. */
    private int updateTracker(Conn c, PacketKey k, byte[] frame, long now) {
        ResolvedPolicy p = c.policy;
        int timer;
        int verdict;
        if (c.proto == PacketKey.PROTO_TCP) {
            TcpPeer src = k.reply ? c.tcpReply : c.tcpOrig;
            TcpPeer dst = k.reply ? c.tcpOrig : c.tcpReply;
            int packed = TcpTracker.update(src, dst, frame, k.l4, k.l4Length, tcpSeqCheck);
            verdict = TcpTracker.verdict(packed);
            timer = TcpTracker.timer(packed);
            if (timer == TcpTracker.TM_NONE) {
                return verdict;
            }
        } else if (c.proto == PacketKey.PROTO_ICMP || c.proto == PacketKey.PROTO_ICMPV6) {
            // OVS icmp_conn_update(): requests stay +new until the first reply.
            verdict = TcpTracker.VALID;
            if (k.reply && c.l4State == Conn.ICMP_FIRST) {
                c.l4State = Conn.ICMP_REPLY;
            } else if (c.l4State == Conn.ICMP_FIRST) {
                verdict = TcpTracker.VALID_NEW;
            }
            timer = c.l4State == Conn.ICMP_FIRST ? Timers.ICMP_FIRST : Timers.ICMP_REPLY;
        } else {
            // OVS other_conn_update(): UDP and every other protocol. +new until a reply is seen.
            verdict = TcpTracker.VALID;
            if (k.reply && c.l4State != Conn.OTHER_BIDIR) {
                c.l4State = Conn.OTHER_BIDIR;
            } else if (c.l4State == Conn.OTHER_FIRST) {
                c.l4State = Conn.OTHER_MULTIPLE;
            }
            if (c.l4State != Conn.OTHER_BIDIR) {
                verdict = TcpTracker.VALID_NEW;
            }
            timer = c.l4State == Conn.OTHER_FIRST ? Timers.OTHER_FIRST
                    : c.l4State == Conn.OTHER_MULTIPLE ? Timers.OTHER_MULTIPLE : Timers.OTHER_BIDIR;
        }
        c.home.rearm(c, now, p.nanos[timer], p.listClass[timer]);
        return verdict;
    }

    /** OVS {@code conn_not_found()} without NAT: a packet without a connection. Returns the new one, or null. */
    private Conn notFound(Bucket b, PacketKey k, byte[] frame, CtParams params, CtMetadata md, long now) {
        if (!validNew(k, frame)) {
            md.state = CtState.INV;
            return null;
        }
        md.state = CtState.NEW;
        if (!params.commit) {
            return null;
        }
        ZoneLimit zl = admit(k.zone);
        if (zl == NO_ROOM) {
            return null;
        }
        Conn c = newConn(k, b, frame, params, zl, now);
        b.insert(c, Bucket.BOTH);
        publish(c, zl);
        return c;
    }

    /** Marks "no room": a zone or global limit refused the commit. */
    private static final ZoneLimit NO_ROOM = new ZoneLimit(-1, 0, false);

    /** The zone limit a new connection of {@code zone} counts against, null for none, {@link #NO_ROOM} if full. */
    private ZoneLimit admit(int zone) {
        ZoneLimit zl = zoneLimitFor(zone);
        if (zl != null && zl.count.get() >= zl.limit) {
            zoneFull.increment();
            return NO_ROOM;
        }
        if (connections.sum() >= connLimit) {
            full.increment();
            return NO_ROOM;
        }
        return zl;
    }

    /** A new connection for key {@code k} homed in {@code home}, its tracker started; not yet in any table. */
    private Conn newConn(PacketKey k, Bucket home, byte[] frame, CtParams params, ZoneLimit zl, long now) {
        ResolvedPolicy policy = policyFor(k.zone);
        Conn c = new Conn(k, home, policy, params.helper, zl);
        int timer;
        if (c.proto == PacketKey.PROTO_TCP) {
            timer = TcpTracker.newConn(c.tcpOrig, c.tcpReply, frame, k.l4, k.l4Length);
        } else if (c.proto == PacketKey.PROTO_ICMP || c.proto == PacketKey.PROTO_ICMPV6) {
            c.l4State = Conn.ICMP_FIRST;
            timer = Timers.ICMP_FIRST;
        } else {
            c.l4State = Conn.OTHER_FIRST;
            timer = Timers.OTHER_FIRST;
        }
        c.expiresAtNanos = Timers.expiry(now, policy.nanos[timer]);
        c.listClass = policy.listClass[timer];
        return c;
    }

    /** Puts a connection already in its home table on its expiry list and counts it. Home lock held. */
    private void publish(Conn c, ZoneLimit zl) {
        Bucket home = c.home;
        home.listAppend(c, c.listClass);
        home.zoneLink(c);
        home.homeCount++;
        if (zl != null) {
            zl.count.incrementAndGet();
        }
        connections.increment();
        created.increment();
    }

    /**
     * OVS {@code conn_not_found()} with NAT, without bucket locks held: chooses a free reply tuple
     * ({@link NatSelector}), then, with the home bucket and the reply tuple's bucket locked, checks that neither the
     * key nor the reply tuple was taken meanwhile ({@link #RETRY} if so) and inserts the connection under its key
     * ({@link Bucket#ORIG}) and the reply tuple ({@link Bucket#REV}). Allocations are serialized by
     * {@link #natLock}, taken before any bucket lock. On exhaustion nothing is created and the packet goes on
     * untranslated ({@code +new+trk}), as in OVS 3.1.
     */
    private int natCommit(PacketKey k, byte[] frame, CtParams params, CtMetadata md, long nowNanos) {
        natLock.lock();
        try {
            ZoneLimit zl = admit(k.zone);
            if (zl == NO_ROOM) {
                return finishWithoutConn(md, k);
            }
            PacketKey cand = md.key2;
            if (!NatSelector.select(k, params.nat, cand, probe, nowNanos)) {
                natExhausted.increment();
                return finishWithoutConn(md, k);
            }
            Bucket home = bucketOf(k.hash);
            Bucket rb = bucketOf(cand.hash);
            LockSet ls = md.locks;
            ls.reset();
            ls.add(home);
            ls.add(rb);
            ls.lockAll();
            try {
                if (home.lookup(k) != null || rb.lookup(cand) != null) {
                    return RETRY;
                }
                k.reply = false;
                Conn c = newConn(k, home, frame, params, zl, home.monotonicNow(nowNanos));
                c.nat = new NatInfo(NatSelector.action(params.nat), cand.src0, cand.src1, cand.dst0, cand.dst1,
                        cand.ports, cand.icmpId, cand.hash, rb);
                home.insert(c, Bucket.ORIG);
                rb.insert(c, cand.hash, Bucket.REV);
                publish(c, zl);
                writeMetadata(md, k.zone, c, k);
                applyMarkAndLabel(c, params, md);
                md.conn = c;
                md.reply = false;
                md.icmpRelated = false;
                md.natPending = c;
                md.natPendingReply = false;
                return DONE;
            } finally {
                ls.unlockAll();
            }
        } finally {
            natLock.unlock();
        }
    }

    private static int finishWithoutConn(CtMetadata md, PacketKey k) {
        writeMetadata(md, k.zone, null, k);
        md.conn = null;
        md.reply = k.reply;
        md.icmpRelated = k.icmpRelated;
        return DONE;
    }

    /**
     * Whether a candidate NAT reply tuple is unused ({@link NatSelector.Probe}). A connection that has expired but is
     * not yet cleaned does not count (OVS's lookups skip it): it is deleted here so that the tuple stays unique in
     * the table. Called with {@link #natLock} held and no bucket lock.
     */
    private boolean probeFree(PacketKey cand, long nowNanos) {
        Bucket rb = bucketOf(cand.hash);
        Conn x;
        rb.lock();
        try {
            x = rb.lookup(cand);
            if (x == null) {
                return true;
            }
            if (x.home == rb) {
                if (x.expired(rb.monotonicNow(nowNanos))) {
                    deleteLocked(x, REASON_EXPIRED, true);
                    return true;
                }
                return false;
            }
        } finally {
            rb.unlock();
        }
        Bucket home = x.home;
        Bucket first = rb.index < home.index ? rb : home;
        Bucket second = first == rb ? home : rb;
        first.lock();
        second.lock();
        try {
            Conn y = rb.lookup(cand);
            if (y == null) {
                return true;
            }
            if (y.home != home && y.home != rb) {
                return false;   // changed meanwhile: count it as used
            }
            if (y.expired(y.home.monotonicNow(nowNanos))) {
                deleteLocked(y, REASON_EXPIRED, true);
                return true;
            }
            return false;
        } finally {
            second.unlock();
            first.unlock();
        }
    }

    /** OVS {@code valid_new()}: may this packet start a connection? */
    private static boolean validNew(PacketKey k, byte[] frame) {
        switch (k.proto) {
            case PacketKey.PROTO_TCP:
                return TcpTracker.validNew(frame, k.l4);
            case PacketKey.PROTO_ICMP: {
                int type = frame[k.l4] & 0xff;
                return type == 8 || type == 15 || type == 13;   // echo, information, timestamp requests
            }
            case PacketKey.PROTO_ICMPV6:
                return (frame[k.l4] & 0xff) == 128;             // echo request
            default:
                return true;
        }
    }

    /**
     * OVS {@code write_ct_md()}: tracked, zone, the connection's mark and label, and its original tuple (without a
     * connection: the packet's own key, or nothing for a packet that could not be parsed).
     */
    private static void writeMetadata(CtMetadata md, int zone, Conn c, PacketKey k) {
        md.state |= CtState.TRK;
        md.zone = zone;
        if (c != null) {
            md.mark = c.mark;
            md.labelHi = c.labelHi;
            md.labelLo = c.labelLo;
            setTuple(md, c.v6, c.proto, c.src0, c.src1, c.dst0, c.dst1, c.ports);
        } else {
            md.mark = 0;
            md.labelHi = 0;
            md.labelLo = 0;
            if (k != null) {
                setTuple(md, k.v6, k.proto, k.src0, k.src1, k.dst0, k.dst1, k.ports);
            } else {
                md.tupleFamily = 0;
                md.tupleProto = 0;
                md.tupleSrc0 = 0;
                md.tupleSrc1 = 0;
                md.tupleDst0 = 0;
                md.tupleDst1 = 0;
                md.tupleTpSrc = 0;
                md.tupleTpDst = 0;
            }
        }
    }

    private static void setTuple(CtMetadata md, boolean v6, int proto, long s0, long s1, long d0, long d1,
                                 int ports) {
        md.tupleFamily = v6 ? 6 : 4;
        md.tupleProto = proto;
        md.tupleSrc0 = s0;
        md.tupleSrc1 = s1;
        md.tupleDst0 = d0;
        md.tupleDst1 = d1;
        boolean icmp = v6 ? proto == PacketKey.PROTO_ICMPV6 : proto == PacketKey.PROTO_ICMP;
        if (icmp) {
            md.tupleTpSrc = ports >>> 24;             // type
            md.tupleTpDst = (ports >>> 16) & 0xff;    // code
        } else {
            md.tupleTpSrc = ports >>> 16;
            md.tupleTpDst = ports & 0xffff;
        }
    }

    /** OVS {@code set_mark()} / {@code set_label()}: masked writes to the packet and the connection at once. */
    private static void applyMarkAndLabel(Conn c, CtParams params, CtMetadata md) {
        if (params.setMark) {
            md.mark = params.markValue | (md.mark & ~params.markMask);
            c.mark = md.mark;
        }
        if (params.setLabel) {
            md.labelHi = params.labelValueHi | (md.labelHi & ~params.labelMaskHi);
            md.labelLo = params.labelValueLo | (md.labelLo & ~params.labelMaskLo);
            c.labelHi = md.labelHi;
            c.labelLo = md.labelLo;
        }
    }

    /**
     * OVS {@code process_one_fast()}: a later {@code ct()} of a packet in the zone of its cached connection. Copies
     * the mark and label and applies the writes; no lookup, no tracker update, no timer re-arm, state unchanged. With
     * a {@code nat}, the connection's translation is applied in the cached direction (unless already applied in this
     * zone).
     */
    private static void processFast(Conn c, int zone, CtParams params, CtMetadata md, byte[] frame, int off,
                                    int len) {
        if (params.nat != null && c.nat != null) {
            PacketKey k = md.key;
            if (k.extract(frame, off, len, zone)) {
                NatRewriter.handleNat(frame, off + len, k, c, md, md.reply, md.icmpRelated);
            }
        }
        md.zone = zone;
        Bucket home = c.home;
        home.lock();
        try {
            md.mark = c.mark;
            md.labelHi = c.labelHi;
            md.labelLo = c.labelLo;
            applyMarkAndLabel(c, params, md);
        } finally {
            home.unlock();
        }
    }
    /**
     * OVS {@code get_alg_ctl_type()} without a helper: a TCP segment from or to port 21 or a UDP datagram to port 69
     * is an ALG control packet and never takes the fast path.
     */
    private static boolean isAlgControl(byte[] f, int off, int len) {
        int end = off + len;
        int p = off + 12;
        if (len < 14) {
            return false;
        }
        int ethType = PacketKey.u16(f, p);
        p += 2;
        while ((ethType == 0x8100 || ethType == 0x88a8) && end - p >= 4) {
            ethType = PacketKey.u16(f, p + 2);
            p += 4;
        }
        int proto;
        int l4;
        if (ethType == PacketKey.ETH_TYPE_IP && end - p >= 20) {
            proto = f[p + 9] & 0xff;
            l4 = p + (f[p] & 0x0f) * 4;
        } else if (ethType == PacketKey.ETH_TYPE_IPV6 && end - p >= 40) {
            proto = f[p + 6] & 0xff;
            l4 = p + 40;
        } else {
            return false;
        }
        if (end - l4 < 4) {
            return false;
        }
        if (proto == PacketKey.PROTO_TCP) {
            return PacketKey.u16(f, l4) == 21 || PacketKey.u16(f, l4 + 2) == 21;
        }
        return proto == PacketKey.PROTO_UDP && PacketKey.u16(f, l4 + 2) == 69;
    }

    /** Deletes {@code c} under its home lock; its NAT alias too if {@code ls} holds the alias bucket. */
    private void deleteLocked(Conn c, int reason, LockSet ls) {
        deleteLocked(c, reason, c.nat != null && ls.holds(c.nat.revBucket));
    }

    /**
     * Deletes {@code c} under its home lock. A NAT alias in another bucket is removed now if {@code revHeld} (its
     * bucket is locked too), else queued for {@link #drainDeadAliases()}; until then lookups that meet it see
     * {@link Conn#dead} and drop it.
     */
    private void deleteLocked(Conn c, int reason, boolean revHeld) {
        Bucket home = c.home;
        NatInfo n = c.nat;
        c.dead = true;
        if (n == null) {
            home.remove(c, c.hash, Bucket.BOTH);
        } else {
            home.remove(c, c.hash, Bucket.ORIG);
            if (n.revBucket == home || revHeld) {
                n.revBucket.remove(c, n.rhash, Bucket.REV);
            } else {
                pendingAliases.incrementAndGet();
                deadAliases.add(c);
            }
        }
        home.listRemove(c);
        home.zoneUnlink(c);
        home.homeCount--;
        if (c.admit != null) {
            c.admit.count.decrementAndGet();
        }
        connections.decrement();
        if (reason == REASON_EXPIRED) {
            expired.increment();
        } else {
            flushed.increment();
        }
    }

    /** Removes the aliases of deleted NAT connections; called with no bucket lock held. */
    private void drainDeadAliases() {
        Conn c;
        while ((c = deadAliases.poll()) != null) {
            pendingAliases.decrementAndGet();
            Bucket rb = c.nat.revBucket;
            rb.lock();
            try {
                rb.remove(c, c.nat.rhash, Bucket.REV);
            } finally {
                rb.unlock();
            }
        }
    }
    // ============================================================================================ cleaner

    /** What one pass of the cleaner found: when to come back and whether it fell behind. */
    record SweepResult(long nextCleanupNanos, boolean behind, int deleted) {
    }

    /**
     * One pass of the cleaner over every due bucket (the seed's {@code conntrack_clean()}). Called by the
     * {@link Cleaner} thread, or by {@link #sweepNow()} when there is none.
     */
    SweepResult sweep(long now) {
        final int connLimit = this.connLimit;
        final long minTimeout = Math.max(classes.minNanos(), 0);
        long next = now + Math.min(minTimeout, Long.MAX_VALUE / 4);
        boolean behind = false;
        int deleted = 0;
        for (Bucket b : buckets) {
            b.lock();
            try {
                long bnow = b.monotonicNow(now);
                if (b.nextCleanupNanos - bnow > 0) {
                    if (b.nextCleanupNanos - next < 0) {
                        next = b.nextCleanupNanos;
                    }
                    continue;
                }
                // At least one chunk: with a global limit below buckets * 10 both terms are 0 for a bucket of fewer
                // than 10 connections, and such a bucket was never cleaned. A chunk bounds the lock hold anyway.
                int limit = Math.max(Bucket.SWEEP_CHUNK,
                        Math.max(b.homeCount / 10, connLimit / (buckets.length * 10)));
                int count = 0;
                boolean hitLimit = false;
                long minExp = bnow + minTimeout;
                for (int cls = 0; cls < b.listClassCount() && !hitLimit; cls++) {
                    while (true) {
                        Conn c = b.listHead(cls);
                        if (c == null) {
                            break;
                        }
                        if (!c.expired(bnow) || count >= limit) {
                            // The list is ordered: everything behind c expires later.
                            if (c.expiresAtNanos - minExp < 0) {
                                minExp = c.expiresAtNanos;
                            }
                            hitLimit = count >= limit && c.expired(bnow);
                            break;
                        }
                        deleteLocked(c, REASON_EXPIRED, false);
                        count++;
                        if (count % Bucket.SWEEP_CHUNK == 0) {
                            // Let waiting datapath threads in; the lists stay ordered meanwhile.
                            b.unlock();
                            b.lock();
                        }
                    }
                }
                deleted += count;
                b.nextCleanupNanos = minExp;
                if (hitLimit) {
                    behind = true;
                } else {
                    b.shrinkIfSparse();
                }
                if (b.nextCleanupNanos - next < 0) {
                    next = b.nextCleanupNanos;
                }
            } finally {
                b.unlock();
            }
            if (pendingAliases.get() != 0) {
                drainDeadAliases();
            }
        }
        return new SweepResult(next, behind, deleted);
    }

    /**
     * Runs one cleaner pass at the clock's current time and returns when it is done (ovs-appctl {@code time/warp}
     * does this after advancing the clock). With a cleaner thread, the thread runs the pass; without one, the caller
     * does. Returns the number of connections deleted.
     */
    public int sweepNow() {
        return cleaner.requestPass();
    }

    // ============================================================================================ control

    /**
     * For a tracker built without its cleaner thread whose owner schedules cleaning itself (a lab process with a
     * thousand switches shares one timer): runs one cleaner pass on the caller's thread and returns, in nanoseconds of
     * the switch clock, how long to wait before the next one, by the cleaner thread's rule ({@value
     * #CT_CLEAN_INTERVAL_MS} ms or until the next expiry when it kept up, {@value #CT_CLEAN_MIN_INTERVAL_MS} ms when it
     * fell behind).
     */
    public long cleanOnce() {
        return cleaner.passAndNextDelay();
    }

    /** Live connections (committed, not deleted; expired ones not yet cleaned count too, as in OVS). */
    public long connectionCount() {
        return connections.sum();
    }

    /** OVS {@code dpctl/ct-set-maxconns}. */
    public void setConnLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("maxconns must not be negative: " + limit);
        }
        this.connLimit = limit;
    }

    /** OVS {@code dpctl/ct-get-maxconns}. */
    public int connLimit() {
        return connLimit;
    }

    /** OVS {@code dpctl/ct-enable-tcp-seq-chk} / {@code ct-disable-tcp-seq-chk}. */
    public void setTcpSeqCheck(boolean enabled) {
        this.tcpSeqCheck = enabled;
    }

    public boolean tcpSeqCheck() {
        return tcpSeqCheck;
    }

    /**
     * Sets the timeout policy of {@code zone} for connections committed from now on; null restores the default.
     */
    public synchronized void setTimeoutPolicy(int zone, TimeoutPolicy policy) {
        checkZone(zone);
        ResolvedPolicy[] cur = zonePolicies;
        ResolvedPolicy[] next = cur == null ? new ResolvedPolicy[65536] : cur.clone();
        next[zone] = policy == null ? null : new ResolvedPolicy(policy, classes);
        zonePolicies = next;
    }

    /** Sets the policy of zones that have none of their own. */
    public synchronized void setDefaultTimeoutPolicy(TimeoutPolicy policy) {
        defaultPolicy = new ResolvedPolicy(policy == null ? TimeoutPolicy.defaults() : policy, classes);
    }

    /** The policy new connections of {@code zone} get. */
    public TimeoutPolicy timeoutPolicy(int zone) {
        return policyFor(zone).policy;
    }

    private ResolvedPolicy policyFor(int zone) {
        ResolvedPolicy[] arr = zonePolicies;
        ResolvedPolicy p = arr == null ? null : arr[zone];
        return p != null ? p : defaultPolicy;
    }

    /** OVS {@code dpctl/ct-set-limits zone=N,limit=L}: at most {@code limit} connections in {@code zone}. */
    public synchronized void setZoneLimit(int zone, int limit) {
        checkZone(zone);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        ZoneLimit[] cur = zoneLimits;
        ZoneLimit[] next = cur == null ? new ZoneLimit[65536] : cur.clone();
        if (next[zone] != null && next[zone].explicit) {
            next[zone].limit = limit;
        } else {
            ZoneLimit zl = new ZoneLimit(zone, limit, true);
            if (next[zone] != null) {
                zl.count.set(next[zone].count.get());   // connections counted by a default limit carry over
            }
            next[zone] = zl;
        }
        zoneLimits = next;
    }

    /** OVS {@code dpctl/ct-del-limits zone=N}: back to the default limit (if any). */
    public synchronized void removeZoneLimit(int zone) {
        checkZone(zone);
        ZoneLimit[] cur = zoneLimits;
        if (cur == null || cur[zone] == null) {
            return;
        }
        ZoneLimit[] next = cur.clone();
        if (defaultZoneLimit >= 0) {
            ZoneLimit zl = new ZoneLimit(zone, defaultZoneLimit, false);
            zl.count.set(cur[zone].count.get());
            next[zone] = zl;
        } else {
            next[zone] = null;
        }
        zoneLimits = next;
    }

    /** OVS {@code dpctl/ct-set-limits default=L}; -1 removes the default. */
    public synchronized void setDefaultZoneLimit(int limit) {
        defaultZoneLimit = limit < 0 ? -1 : limit;
        ZoneLimit[] cur = zoneLimits;
        if (cur == null) {
            return;
        }
        ZoneLimit[] next = cur.clone();
        for (int z = 0; z < next.length; z++) {
            if (next[z] != null && !next[z].explicit) {
                if (limit < 0) {
                    next[z] = null;
                } else {
                    next[z].limit = limit;
                }
            }
        }
        zoneLimits = next;
    }

    /** The default per-zone limit, or -1. */
    public int defaultZoneLimit() {
        return defaultZoneLimit;
    }

    /** Zones with a limit of their own: zone → {limit, count}. */
    public synchronized Map<Integer, int[]> zoneLimits() {
        Map<Integer, int[]> out = new TreeMap<>();
        ZoneLimit[] cur = zoneLimits;
        if (cur != null) {
            for (ZoneLimit zl : cur) {
                if (zl != null && zl.explicit) {
                    out.put(zl.zone, new int[] {zl.limit, zl.count.get()});
                }
            }
        }
        return out;
    }

    /** The number of connections {@code zone}'s limit counts, or -1 if it has no limit. */
    public int zoneCount(int zone) {
        ZoneLimit[] cur = zoneLimits;
        ZoneLimit zl = cur == null ? null : cur[zone];
        return zl == null ? -1 : zl.count.get();
    }

    private ZoneLimit zoneLimitFor(int zone) {
        ZoneLimit[] cur = zoneLimits;
        if (cur != null && cur[zone] != null) {
            return cur[zone];
        }
        if (defaultZoneLimit < 0) {
            return null;
        }
        return createDefaultZoneLimit(zone);
    }

    private synchronized ZoneLimit createDefaultZoneLimit(int zone) {
        ZoneLimit[] cur = zoneLimits;
        if (cur != null && cur[zone] != null) {
            return cur[zone];
        }
        if (defaultZoneLimit < 0) {
            return null;
        }
        ZoneLimit[] next = cur == null ? new ZoneLimit[65536] : cur.clone();
        next[zone] = new ZoneLimit(zone, defaultZoneLimit, false);
        zoneLimits = next;
        return next[zone];
    }

    private static void checkZone(int zone) {
        if (zone < 0 || zone > 0xffff) {
            throw new IllegalArgumentException("zone out of range 0..65535: " + zone);
        }
    }

    /** A snapshot of the counters. */
    public CtStats stats() {
        return new CtStats(connections.sum(), connLimit, created.sum(), expired.sum(), flushed.sum(), full.sum(),
                zoneFull.sum(), invalid.sum(), natExhausted.sum(), cleaner.passes(), cleaner.cpuNanos());
    }

    /**
     * Lists the live connections (not expired at {@code nowNanos}) of {@code zone}, or of every zone if
     * {@code zone < 0}, sorted by zone and then by their dump text.
     */
    public List<ConnEntry> dump(int zone, long nowNanos) {
        List<ConnEntry> out = new ArrayList<>();
        Conn[] scratch = new Conn[64];
        for (Bucket b : buckets) {
            b.lock();
            try {
                if (scratch.length < b.used()) {
                    scratch = new Conn[b.capacity()];
                }
                int n = b.collectHome(scratch, 0);
                for (int i = 0; i < n; i++) {
                    Conn c = scratch[i];
                    if ((zone < 0 || c.zone == zone) && !c.expired(nowNanos)) {
                        out.add(entry(c, nowNanos));
                    }
                }
            } finally {
                b.unlock();
            }
            Arrays.fill(scratch, null);
        }
        // Each entry's text once, not once per comparison.
        String[] text = new String[out.size()];
        Integer[] order = new Integer[out.size()];
        for (int i = 0; i < text.length; i++) {
            text[i] = out.get(i).format(true, false);
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> out.get(x).zone() != out.get(y).zone()
                ? Integer.compare(out.get(x).zone(), out.get(y).zone()) : text[x].compareTo(text[y]));
        List<ConnEntry> sorted = new ArrayList<>(text.length);
        for (Integer i : order) {
            sorted.add(out.get(i));
        }
        return sorted;
    }

    /** {@link #dump(int, long)} at the clock's current time. */
    public List<ConnEntry> dump(int zone) {
        return dump(zone, clock.nanoTime());
    }

    private static ConnEntry entry(Conn c, long now) {
        int ipVersion = c.v6 ? 6 : 4;
        String s = c.v6 ? Addresses.ipv6(c.src0, c.src1) : Addresses.ipv4(c.src1);
        String d = c.v6 ? Addresses.ipv6(c.dst0, c.dst1) : Addresses.ipv4(c.dst1);
        boolean icmp = c.v6 ? c.proto == PacketKey.PROTO_ICMPV6 : c.proto == PacketKey.PROTO_ICMP;
        CtTuple orig;
        CtTuple reply;
        int srcHalf = c.ports >>> 16;
        int dstHalf = c.ports & 0xffff;
        NatInfo n = c.nat;
        String rs = n == null ? d : c.v6 ? Addresses.ipv6(n.rsrc0, n.rsrc1) : Addresses.ipv4(n.rsrc1);
        String rd = n == null ? s : c.v6 ? Addresses.ipv6(n.rdst0, n.rdst1) : Addresses.ipv4(n.rdst1);
        int rports = n == null ? (c.ports << 16) | (c.ports >>> 16) : n.rports;
        int rid = n == null ? c.icmpId : n.ricmpId;
        if (icmp) {
            orig = new CtTuple(ipVersion, c.proto, s, d, 0, 0, c.icmpId, srcHalf >>> 8, srcHalf & 0xff);
            reply = new CtTuple(ipVersion, c.proto, rs, rd, 0, 0, rid, dstHalf >>> 8, dstHalf & 0xff);
        } else {
            orig = new CtTuple(ipVersion, c.proto, s, d, srcHalf, dstHalf, 0, 0, 0);
            reply = new CtTuple(ipVersion, c.proto, rs, rd, rports >>> 16, rports & 0xffff, 0, 0, 0);
        }
        ConnEntry.TcpInfo tcp = null;
        if (c.tcpOrig != null) {
            tcp = new ConnEntry.TcpInfo(c.tcpOrig.state(), c.tcpReply.state(), c.tcpOrig.windowScale(),
                    c.tcpReply.windowScale(), c.tcpOrig.protoinfoFlags(), c.tcpReply.protoinfoFlags());
        }
        long left = Timers.remaining(c.expiresAtNanos, now);
        return new ConnEntry(orig, reply, c.zone, Math.max(0, left / 1_000_000_000L), c.mark, c.labelHi, c.labelLo,
                tcp, c.helper);
    }

    /**
     * Deletes the live connections {@code filter} selects and returns how many. An exact tuple is looked up (in zone
     * 0 unless the filter names a zone); anything else scans the zone given, or every zone.
     */
    public int flush(ConnFilter filter, long nowNanos) {
        if (filter.isExactLookup()) {
            return flushExact(filter, nowNanos);
        }
        int n = 0;
        int zone = filter.zone();
        Conn[] scratch = new Conn[64];
        for (Bucket b : buckets) {
            int m = 0;
            b.lock();
            try {
                // A zone's flush visits that zone's connections only (an empty zone: one probe per bucket).
                int need = zone < 0 ? b.used() : b.zoneCount(zone);
                if (need > 0) {
                    if (scratch.length < need) {
                        scratch = new Conn[zone < 0 ? b.capacity() : need];
                    }
                    m = zone < 0 ? b.collectHome(scratch, 0) : b.collectZone(zone, scratch);
                }
                for (int i = 0; i < m; i++) {
                    Conn c = scratch[i];
                    if (filter.matches(c)) {
                        deleteLocked(c, c.expired(nowNanos) ? REASON_EXPIRED : REASON_FLUSHED, false);
                        n++;
                    }
                }
            } finally {
                b.unlock();
            }
            Arrays.fill(scratch, 0, m, null);
            if (pendingAliases.get() != 0) {
                drainDeadAliases();
            }
        }
        return n;
    }

    /** {@link #flush(ConnFilter, long)} at the clock's current time. */
    public int flush(ConnFilter filter) {
        return flush(filter, clock.nanoTime());
    }

    private int flushExact(ConnFilter filter, long now) {
        int zone = filter.zone() < 0 ? 0 : filter.zone();
        TuplePattern t = filter.orig() != null && filter.orig().isFiveTuple() ? filter.orig() : filter.reply();
        PacketKey k = new PacketKey();
        t.toKey(k, zone);
        Bucket b = bucketOf(k.hash);
        LockSet ls = new LockSet();
        ls.add(b);
        int n = 0;
        while (true) {
            ls.lockAll();
            try {
                // Either direction's tuple finds the connection, as in OVS (a NAT reply tuple through its alias).
                Conn c = b.lookup(k);
                if (c != null && !ls.contains(c.home)) {
                    ls.add(c.home);
                    continue;
                }
                if (c != null && !c.expired(c.home.monotonicNow(now)) && filter.matchesMarkAndLabel(c)) {
                    deleteLocked(c, REASON_FLUSHED, ls);
                    n = 1;
                }
                break;
            } finally {
                ls.unlockAll();
            }
        }
        if (pendingAliases.get() != 0) {
            drainDeadAliases();
        }
        return n;
    }

    /** Stops the cleaner thread and waits for it. Connections stay until the tracker is garbage. */
    @Override
    public void close() {
        cleaner.close();
    }
}
