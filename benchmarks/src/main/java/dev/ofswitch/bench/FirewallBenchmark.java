package dev.ofswitch.bench;

import dev.ofswitch.conntrack.time.ControllableClock;
import java.util.Locale;

/**
 * {@code bench fw-pipeline N_THREADS N_CONNS PASSES}: packets per second through the switch's OpenFlow pipeline with a
 * 3-table Neutron-style stateful firewall ({@link Firewall}): table 0 sends IP to conntrack in the zone of a register,
 * table 1 commits new connections (setting ct_mark) and outputs them, outputs established ones and drops invalid ones.
 * Every packet is a full pipeline run: parse, table 0, {@code ct()} with a recirculation into table 1, and for a new
 * connection a second {@code ct(commit)}, then the output to port 2, whose sink only counts.
 *
 * <p>Workload: thread {@code t} owns {@code N_CONNS} distinct UDP flows, ct-multi's frames (flow {@code i} from
 * {@code 10.0.0.0 + ((t+1) << 20) + i}:1 to 10.1.1.2:2), received on port 1. Each thread is one datapath worker and
 * calls the pipeline directly with its own worker index ({@code SwitchConfig.datapathThreads = N_THREADS}); no Netty,
 * no queues, no sockets. Time is frozen. The pipeline copies each frame into its worker's packet context, so the same
 * frame can be sent again.
 * <ol>
 * <li><b>Commit</b> (timed): every flow once; each packet is {@code +new+trk} and creates a connection.
 * <li><b>Replies</b> (not timed): each flow's reply once, received on port 2 ({@code +est+rpl}; its output:2 is to its
 * input port, so nothing goes out). A UDP connection seen in one direction only stays {@code +new}; this makes them
 * established.
 * <li><b>Established</b> (timed): all flows {@code PASSES} times in the same order; each packet is {@code +est+trk}.
 * </ol>
 * The threads meet at a barrier before each phase; a phase is timed from the earliest worker start to the latest
 * worker end, with timestamps taken inside the workers.
 *
 * <p>Output: {@code commit: N ms, X Mpps (new conns)}, {@code established: N ms, X Mpps (+est packets)},
 * {@code tracked: N conns}, and {@code flows: +new N, +est N, +inv N, output N}: the packet counters of the three
 * table-1 flows and the frames port 2 sent. The run checks that every connection exists, that each packet hit the
 * flow it should and that every original-direction packet went out (exit status 1 otherwise).
 */
final class FirewallBenchmark {
    static final String COMMAND = "fw-pipeline";
    static final String SYNOPSIS = "N_THREADS N_CONNS PASSES";

    private FirewallBenchmark() {
    }

    static int run(String[] argv) throws Exception {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 3, 3);
        int nThreads = (int) args.integer(0, "N_THREADS", 1, 254);
        int conns = (int) args.integer(1, "N_CONNS", 1, 1 << 20);
        int passes = (int) args.integer(2, "PASSES", 0, Integer.MAX_VALUE);
        long total = (long) nThreads * conns;

        long[][] times = new long[4][nThreads];
        ControllableClock clock = ControllableClock.manual(System.nanoTime());
        try (Firewall fw = new Firewall(nThreads, clock)) {
            if (total > fw.conntrack().connLimit()) {
                throw args.error("N_THREADS * N_CONNS must be at most the connection limit "
                        + fw.conntrack().connLimit() + ", got " + total);
            }
            Workers workers = new Workers("pmd", nThreads, false, (t, barrier) -> {
                byte[][] frames = new byte[conns][];
                byte[][] replies = new byte[conns][];
                for (int i = 0; i < conns; i++) {
                    frames[i] = Frames.udp(0x0a000000 + ((t + 1) << 20) + i, Frames.IP_10_1_1_2, 1, 2);
                    replies[i] = Frames.reversed(frames[i]);
                }
                int len = Frames.UDP_FRAME_LEN;
                barrier.await();
                times[0][t] = System.nanoTime();
                for (byte[] f : frames) {
                    fw.process(t, Firewall.IN_PORT, f, len);
                }
                times[1][t] = System.nanoTime();
                for (byte[] f : replies) {
                    fw.process(t, Firewall.OUT_PORT, f, len);
                }
                barrier.await();
                times[2][t] = System.nanoTime();
                for (int p = 0; p < passes; p++) {
                    for (byte[] f : frames) {
                        fw.process(t, Firewall.IN_PORT, f, len);
                    }
                }
                times[3][t] = System.nanoTime();
            });
            workers.join();

            long tracked = fw.conntrack().connectionCount();
            long[] hits = fw.flowPackets();
            long output = fw.output();
            MultiFlowBenchmark.report("commit", Workers.span(times[0], times[1]), total, "new conns");
            MultiFlowBenchmark.report("established", Workers.span(times[2], times[3]), total * passes, "+est packets");
            System.out.printf(Locale.ROOT, "tracked: %d conns%n", tracked);
            System.out.printf(Locale.ROOT, "flows: +new %d, +est %d, +inv %d, output %d%n", hits[0], hits[1],
                    hits[2], output);
            long wantEst = total * passes + total;  // the replies hit +est too
            if (tracked != total || hits[0] != total || hits[1] != wantEst || hits[2] != 0
                    || output != total * (passes + 1) || fw.packetIns() != 0) {
                System.err.printf(Locale.ROOT, "bench fw-pipeline: expected %d conns, +new %d, +est %d, +inv 0, "
                        + "output %d, no packet-in (got %d packet-ins)%n", total, total, wantEst,
                        total * (passes + 1), fw.packetIns());
                return 1;
            }
        }
        return 0;
    }
}
