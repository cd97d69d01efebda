package dev.ofswitch.bench;

import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.ConnTrackerConfig;
import dev.ofswitch.conntrack.CtMetadata;
import dev.ofswitch.conntrack.CtParams;
import dev.ofswitch.conntrack.CtState;
import dev.ofswitch.conntrack.NatRequest;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.Locale;

/**
 * {@code bench ct-nat N_THREADS CONNS_PER_THREAD PASSES BATCH}: {@link MultiFlowBenchmark ct-multi} with source NAT.
 * Many SNAT connections, several threads, every packet rewritten.
 *
 * <p>Flows: thread {@code t} owns {@code CONNS_PER_THREAD} distinct UDP flows, flow {@code i} from
 * {@code 10.0.0.0 + ((t+1) << 20) + i}:1 to the one server 10.1.1.2:2 (ct-multi's frames, but with a real UDP checksum,
 * so that the rewrite has one more checksum to update and the verification one more to check). Zone 0, time frozen.
 * The SNAT pool is {@link #poolSize} addresses from 203.0.113.1 with ports 1024-65535: since every flow goes to the
 * same server and port, each address gives at most 64 512 reply tuples; the pool holds at least four times the
 * flows, so that the port search stays short (it probes linearly from a hashed start).
 *
 * <ol>
 * <li><b>Insert</b> (timed): every flow once with {@code ct(commit,nat(src=POOL:1024-65535))}; each packet creates a
 * connection (under the tracker's NAT lock: see below) and is translated.
 * <li><b>Set-up</b> (not timed): every flow once with {@code ct(nat)}; each translated frame is verified (checksums,
 * source in the pool, port in range, destination kept), and the flow's reply frame is built from it: the translated
 * frame turned around, i.e. from the server to the translated address and port, with checksums of its own.
 * <li><b>Translate</b> (timed): all flows {@code PASSES} times with {@code ct(nat)}, original direction: each packet
 * hits its connection and gets its source rewritten.
 * <li><b>Untranslate</b> (timed): all reply frames {@code PASSES} times with {@code ct(nat)}: each packet hits its
 * connection by the reply tuple and gets its destination rewritten back to the client's.
 * <li><b>Check</b> (not timed): every reply frame once more, verified to come out addressed to its client (checksums,
 * address, port 1).
 * </ol>
 *
 * <p>A translation rewrites the frame in place, so each packet is first copied from its flow's template (42 bytes,
 * {@code System.arraycopy}) into the buffer of its batch slot, as a NIC fills a receive buffer; the timed phases include
 * that copy (it is a few nanoseconds: the {@code copy:} line times the copies and metadata resets alone, as passes of
 * their own). Each packet
 * starts with fresh metadata ({@link CtMetadata#clear()}, a new packet's {@code pkt_metadata}; merely forgetting the
 * cached connection as ct-multi does would leave the previous packet's {@code +snat} bit, which means "already
 * translated"). The last batch of each timed pass is verified after the pass's timer stops. Batches go through
 * {@link ConnTracker#executeBatch}, which for a {@code nat} action runs the packets one by one, in order.
 *
 * <p>NAT commits are serialized by the tracker's NAT lock (as OVS 3.1 holds its global {@code ct_lock} for every
 * commit), so inserts do not scale with threads; lookups and translations take only bucket locks.
 *
 * <p>Verification: a frame passes if its addresses, ports and state are as above and its IPv4 and UDP checksums are
 * valid, or off by OVS's lost carry ({@link #checksums}): OVS's incremental checksum update folds the carry once, so
 * now and then (13 of the 400 096 frames verified by {@code ct-nat 1 200000 10 32}) it writes a checksum that is wrong
 * on the wire, and the tracker reproduces OVS's bytes exactly. Those frames are counted apart.
 *
 * <p>Output: {@code insert: N ms, X M conns/s (new SNAT conns)}, {@code translate: N ms, X Mpps (orig direction)},
 * {@code untranslate: N ms, X Mpps (reply direction)}, {@code copy: N ms (template copies alone, included above)},
 * {@code tracked: N conns}, which must equal {@code N_THREADS * CONNS_PER_THREAD}, and
 * {@code verified: N frames, Q with OVS's lost-carry checksum, B bad}; exit status 1 if the count is wrong or a frame
 * is bad.
 */
final class NatBenchmark {
    static final String COMMAND = "ct-nat";
    static final String SYNOPSIS = "N_THREADS CONNS_PER_THREAD PASSES BATCH";

    /** 203.0.113.1, the first pool address (TEST-NET-3). */
    static final int POOL_FIRST = 0xcb007101;
    /** The SNAT port range. */
    static final int PORT_MIN = 1024;
    static final int PORT_MAX = 65535;

    /** {@code ct(nat)}: apply the connection's translation in the packet's direction. */
    static final CtParams NAT = CtParams.builder().nat(NatRequest.BARE).build();

    private NatBenchmark() {
    }

    /** Pool addresses for {@code flows} connections to one server port: four times the reply tuples needed, min 16. */
    static int poolSize(long flows) {
        long perAddress = PORT_MAX - PORT_MIN + 1;
        return (int) Math.max(16, (4 * flows + perAddress - 1) / perAddress);
    }

    /** {@code ct(commit,nat(src=203.0.113.1-...:1024-65535))} with a pool of {@code addresses}. */
    static CtParams snatCommit(int addresses) {
        return CtParams.builder().commit(true).nat(new NatRequest(NatRequest.F_SRC, 4, 0, POOL_FIRST & 0xffffffffL,
                0, (POOL_FIRST + addresses - 1) & 0xffffffffL, PORT_MIN, PORT_MAX)).build();
    }

    static int run(String[] argv) throws UsageException, InterruptedException {
        MultiFlowBenchmark.Shape shape = MultiFlowBenchmark.Shape.parse(new Args(COMMAND, SYNOPSIS, argv, 4, 4));
        int nThreads = shape.nThreads();
        int conns = shape.conns();
        int passes = shape.passes();
        int batch = shape.batch();
        long total = shape.total();
        int pool = poolSize(total);     // at most 187 addresses for 3 M flows: within 203.0.113.0/24
        CtParams commit = snatCommit(pool);

        long[][] times = new long[8][nThreads];     // start/end of insert, translate, untranslate, copy
        long[][] verdicts = new long[nThreads][3];     // per thread: frames OK, QUIRK, BAD
        ControllableClock clock = ControllableClock.manual(System.nanoTime());
        try (ConnTracker ct = new ConnTracker(ConnTrackerConfig.defaults().clock(clock))) {
            Workers workers = new Workers("ct_thread", nThreads, false, (t, barrier) -> {
                long now = clock.nanoTime();
                byte[][] orig = new byte[conns][];
                for (int i = 0; i < conns; i++) {
                    int client = 0x0a000000 + ((t + 1) << 20) + i;
                    orig[i] = Frames.withUdpChecksum(Frames.udp(client, Frames.IP_10_1_1_2, 1, 2));
                }
                Batch b = new Batch(batch);
                barrier.await();
                times[0][t] = System.nanoTime();
                b.sendAll(ct, orig, commit, now);
                times[1][t] = System.nanoTime();
                long[] v = verdicts[t];
                b.checkLast(orig, pool, false, v);

                byte[][] reply = new byte[conns][];
                for (int i = 0; i < conns; i += batch) {
                    int n = b.send(ct, orig, i, NAT, now);
                    for (int j = 0; j < n; j++) {
                        v[translated(b.frames[j], orig[i + j], pool)]++;
                        // The server's reply, with checksums of its own (a frame with OVS's checksum quirk would
                        // not get one, and its reply would be +inv).
                        reply[i + j] = Frames.withFreshChecksums(Frames.reversed(b.frames[j]));
                    }
                }

                barrier.await();
                times[2][t] = System.nanoTime();
                for (int p = 0; p < passes; p++) {
                    b.sendAll(ct, orig, NAT, now);
                }
                times[3][t] = System.nanoTime();
                if (passes > 0) {
                    b.checkLast(orig, pool, false, v);
                }

                barrier.await();
                times[4][t] = System.nanoTime();
                for (int p = 0; p < passes; p++) {
                    b.sendAll(ct, reply, NAT, now);
                }
                times[5][t] = System.nanoTime();
                if (passes > 0) {
                    b.checkLast(orig, pool, true, v);
                }
                for (int i = 0; i < conns; i += batch) {
                    int n = b.send(ct, reply, i, NAT, now);
                    for (int j = 0; j < n; j++) {
                        v[untranslated(b.frames[j], orig[i + j], b.md[j])]++;
                    }
                }

                barrier.await();
                times[6][t] = System.nanoTime();
                for (int p = 0; p < passes; p++) {
                    b.copyAll(orig);
                }
                times[7][t] = System.nanoTime();
            });
            workers.join();
            long tracked = ct.connectionCount();
            long[] sum = new long[3];
            for (long[] v : verdicts) {
                for (int i = 0; i < 3; i++) {
                    sum[i] += v[i];
                }
            }

            System.out.printf(Locale.ROOT, "insert: %d ms, %.2f M conns/s (new SNAT conns)%n",
                    Workers.span(times[0], times[1]) / 1_000_000, rate(Workers.span(times[0], times[1]), total));
            report("translate", Workers.span(times[2], times[3]), total * passes, "orig direction");
            report("untranslate", Workers.span(times[4], times[5]), total * passes, "reply direction");
            System.out.printf(Locale.ROOT, "copy: %d ms (template copies alone, included above)%n",
                    Workers.span(times[6], times[7]) / 1_000_000);
            System.out.printf(Locale.ROOT, "tracked: %d conns%n", tracked);
            System.out.printf(Locale.ROOT, "verified: %d frames, %d with OVS's lost-carry checksum, %d bad%n",
                    sum[OK] + sum[QUIRK] + sum[BAD], sum[QUIRK], sum[BAD]);
            int status = 0;
            if (tracked != total) {
                System.err.printf(Locale.ROOT, "bench ct-nat: expected %d tracked connections, found %d%n", total,
                        tracked);
                status = 1;
            }
            if (sum[BAD] != 0) {
                System.err.printf(Locale.ROOT, "bench ct-nat: %d frames failed verification%n", sum[BAD]);
                status = 1;
            }
            return status;
        }
    }

    /**
     * One thread's batch: a buffer per slot that each packet is copied into before its {@code ct()}, and one metadata
     * per slot.
     */
    private static final class Batch {
        final byte[][] frames;
        final CtMetadata[] md;
        final int[] offs;
        final int[] lens;
        /** Where the last batch sent came from, for {@link #checkLast}. */
        int lastFirst;
        int lastCount;

        Batch(int size) {
            frames = new byte[size][Frames.UDP_FRAME_LEN];
            md = new CtMetadata[size];
            for (int j = 0; j < size; j++) {
                md[j] = new CtMetadata();
            }
            offs = new int[size];
            lens = new int[size];
            java.util.Arrays.fill(lens, Frames.UDP_FRAME_LEN);
        }

        /** Sends every template once, a batch at a time. */
        void sendAll(ConnTracker ct, byte[][] templates, CtParams params, long now) {
            for (int i = 0; i < templates.length; i += frames.length) {
                send(ct, templates, i, params, now);
            }
        }

        /** Copies templates {@code [from, from + batch)} into the slots and sends them; returns how many. */
        int send(ConnTracker ct, byte[][] templates, int from, CtParams params, long now) {
            int n = Math.min(frames.length, templates.length - from);
            for (int j = 0; j < n; j++) {
                System.arraycopy(templates[from + j], 0, frames[j], 0, Frames.UDP_FRAME_LEN);
                md[j].clear();
            }
            ct.executeBatch(frames, offs, lens, n, 0, params, md, now);
            lastFirst = from;
            lastCount = n;
            return n;
        }

        /** {@link #sendAll}'s copies without the {@code ct()}: what the copies alone cost. */
        void copyAll(byte[][] templates) {
            for (int i = 0; i < templates.length; i += frames.length) {
                int n = Math.min(frames.length, templates.length - i);
                for (int j = 0; j < n; j++) {
                    System.arraycopy(templates[i + j], 0, frames[j], 0, Frames.UDP_FRAME_LEN);
                    md[j].clear();
                }
            }
        }

        /** Verifies the frames of the last batch sent, counting each verdict in {@code verdicts}. */
        void checkLast(byte[][] orig, int pool, boolean reply, long[] verdicts) {
            for (int j = 0; j < lastCount; j++) {
                byte[] o = orig[lastFirst + j];
                verdicts[reply ? untranslated(frames[j], o, md[j]) : translated(frames[j], o, pool)]++;
            }
        }
    }

    /** Verification outcomes, counted per thread: see {@link #checksums}. */
    static final int OK = 0;
    static final int QUIRK = 1;
    static final int BAD = 2;

    /**
     * The verdict on a rewritten frame's checksums: {@link #OK} when both are valid; {@link #QUIRK} when a checksum is
     * off by what OVS's incremental update ({@code recalc_csum16()}, which folds the carry once) gives when a second
     * carry is lost: a sum of k * 0x0100 instead of 0xffff (the operands are byte-swapped on a little-endian host),
     * which the tracker reproduces on purpose ({@code Csum.recalc16}); {@link #BAD} otherwise.
     */
    static int checksums(byte[] f) {
        int sums = Frames.checksumSums(f);
        return Math.max(checksum(sums >>> 16), checksum(sums & 0xffff));
    }

    private static int checksum(int sum) {
        if (sum == 0xffff) {
            return OK;
        }
        return (sum & 0xff) == 0 && sum >= 0x0100 && sum <= 0x0400 ? QUIRK : BAD;
    }

    /** An original-direction frame after SNAT: checksums, source from the pool and port range, destination kept. */
    private static int translated(byte[] f, byte[] orig, int pool) {
        int src = Frames.ipv4Source(f);
        int port = Frames.sourcePort(f);
        boolean ok = Integer.compareUnsigned(src - POOL_FIRST, pool) < 0 && port >= PORT_MIN && port <= PORT_MAX
                && Frames.ipv4Destination(f) == Frames.ipv4Destination(orig)
                && Frames.destinationPort(f) == Frames.destinationPort(orig);
        return ok ? checksums(f) : BAD;
    }

    /** A reply frame after un-SNAT: checksums, addressed to the client's own address and port, {@code +rpl+est}. */
    private static int untranslated(byte[] f, byte[] orig, CtMetadata md) {
        int want = CtState.TRK | CtState.EST | CtState.RPL | CtState.DNAT;
        boolean ok = Frames.ipv4Destination(f) == Frames.ipv4Source(orig)
                && Frames.destinationPort(f) == Frames.sourcePort(orig)
                && Frames.ipv4Source(f) == Frames.ipv4Destination(orig)
                && Frames.sourcePort(f) == Frames.destinationPort(orig)
                && (md.state() & want) == want;
        return ok ? checksums(f) : BAD;
    }

    private static double rate(long nanos, long n) {
        return nanos == 0 ? 0 : n * 1e3 / nanos;
    }

    private static void report(String phase, long nanos, long packets, String what) {
        System.out.printf(Locale.ROOT, "%s: %d ms, %.2f Mpps (%s)%n", phase, nanos / 1_000_000, rate(nanos, packets),
                what);
    }
}
