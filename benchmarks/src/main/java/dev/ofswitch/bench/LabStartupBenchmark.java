package dev.ofswitch.bench;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.topo.Host;
import dev.ofswitch.lab.topo.Topologies;
import dev.ofswitch.lab.topo.Topology;
import dev.ofswitch.lab.topo.TopologyException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench lab-startup TOPO [pingall] [no-unixctl]}: how long a lab of the built-in topology {@code TOPO}
 * ({@code bin/lab --topo}'s syntax: {@code linear,100}, {@code tree,4,4}, {@code linear,1000}) takes to start
 * against the embedded firewall controller, how much heap it holds per switch, and optionally how long a pingall
 * takes.
 *
 * <p>Method, in a fresh JVM with bin/lab's flags (bin/bench gives this command C1 only and the serial collector, as
 * bin/lab runs), so that the figures are what a bin/lab user waits for:
 * <ol>
 * <li>baseline: the heap used after full collections ({@link MemoryBenchmark#usedAfterGc()}), before any lab class
 * is loaded;
 * <li>{@code start}: {@link Lab#start} as bin/lab calls it (the controller listening, every switch, host and link
 * built, switches connecting; with one unixctl socket and thread per switch, as bin/lab by default, unless
 * {@code no-unixctl});
 * <li>{@code connected}: then {@link Lab#awaitConnected} returns, i.e. the embedded controller has installed its
 * pipeline in every switch, which is when bin/lab prints the switch list a second time and accepts commands. The
 * figure is from the start of {@code Lab.start}, in this fresh JVM, so it includes loading and interpreting the lab's
 * classes, as a user's {@code bin/lab} run does;
 * <li>heap: used after full collections with the lab running, minus the baseline, divided by the number of
 * switches. It includes the lab's fixed costs (the shared switch runtime, the controller, class statics) and its
 * hosts and links; {@code bench lab-startup minimal} shows the fixed part;
 * <li>{@code pingall}: {@link Lab#pingAll} over every host, 1 s timeout per ping, as bin/lab's {@code pingall}.
 * </ol>
 * A lab that does not connect within the deadline, or a pingall that loses a ping, ends the command with status 1.
 */
final class LabStartupBenchmark {
    static final String COMMAND = "lab-startup";
    static final String SYNOPSIS = "TOPO [pingall] [no-unixctl]";

    private LabStartupBenchmark() {
    }

    static int run(String[] argv) throws UsageException, IOException, InterruptedException {
        Args args = new Args(COMMAND, SYNOPSIS, argv, 1, 3);
        boolean pingall = false;
        boolean unixctl = true;
        for (int i = 1; i < argv.length; i++) {
            if (args.choice(i, "an option", "pingall", "no-unixctl").equals("pingall")) {
                pingall = true;
            } else {
                unixctl = false;
            }
        }
        Topology topo;
        try {
            topo = Topologies.parseSpec(argv[0], false).validate();
        } catch (TopologyException | IllegalArgumentException e) {
            throw args.error("TOPO: " + e.getMessage());
        }
        int switches = topo.switches().size();
        System.out.printf(Locale.ROOT, "lab-startup: %s: %d switches, %d hosts, %d links, embedded controller, "
                + "unixctl %s%n", argv[0], switches, topo.hosts().size(), topo.links().size(), unixctl ? "on" : "off");

        long before = MemoryBenchmark.usedAfterGc();
        long t0 = System.nanoTime();
        long cpu0 = cpuNanos();
        Lab.Options opts = new Lab.Options().unixctl(unixctl).progress(System.err::println);
        try (Lab lab = Lab.start(topo, opts)) {
            long started = System.nanoTime();
            Duration deadline = Duration.ofSeconds(Math.max(60, switches / 10));
            boolean connected = lab.awaitConnected(deadline);
            long ready = System.nanoTime();
            long cpu = cpuNanos() - cpu0;
            if (!connected) {
                System.err.printf(Locale.ROOT, "bench lab-startup: only %d of %d switches connected within %d s%n",
                        lab.connectedSwitches(), switches, deadline.toSeconds());
                return 1;
            }
            System.out.printf(Locale.ROOT, "lab-startup: started in %d ms, all %d switches connected in %d ms "
                    + "(process CPU time meanwhile: %d ms)%n", ms(started - t0), switches, ms(ready - t0), ms(cpu));

            long after = MemoryBenchmark.usedAfterGc();
            System.out.printf(Locale.ROOT, "lab-startup: heap used after full GC: %.1f MB before, %.1f MB with the "
                    + "lab: %.1f KB per switch (hosts, links and fixed costs included)%n", before / 1e6, after / 1e6,
                    (after - before) / 1e3 / switches);

            if (pingall) {
                List<String> hosts = topo.hostsInNetOrder().stream().map(Host::name).toList();
                long p0 = System.nanoTime();
                Lab.PingAll r = lab.pingAll(hosts, 1000);
                long p1 = System.nanoTime();
                System.out.printf(Locale.ROOT, "lab-startup: pingall: %d/%d received in %d ms (%d%% dropped)%n",
                        r.received(), r.sent(), ms(p1 - p0), r.droppedPercent());
                if (r.received() != r.sent()) {
                    return 1;
                }
            }
        }
        return 0;
    }

    /** CPU time of the whole process (every thread, user and system), which other processes do not inflate. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
