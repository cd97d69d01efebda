package dev.ofswitch.ofswitch;

import dev.ofswitch.conntrack.time.SwitchClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A switch for a test, as ovs-ofctl sees it: OpenFlow on 127.0.0.1 (a free port), the unixctl socket
 * {@code DIR/ovs-vswitchd.ctl}, ports p1..pN with their tx pcaps in DIR.
 *
 * <p>Normally an {@link OfSwitch} started in-process. With {@code -Dofswitch.against=ovs} the same tests run against a
 * real ovs-vswitchd 3.1 instead ({@code ovs-oracle start --listen PORT --dir DIR}), which is how their expected texts
 * were checked: {@code mvn -o -pl ofswitch test -Dtest='OvsOfctl*Test' -Dofswitch.against=ovs}.
 */
final class LiveSwitch implements AutoCloseable {
    /** True when the tests run against real OVS ({@code -Dofswitch.against=ovs}). */
    static final boolean AGAINST_OVS = "ovs".equals(System.getProperty("ofswitch.against"));

    private static final Pattern DURATION = Pattern.compile(" duration=[0-9.]+s,");
    private static final Pattern AGES = Pattern.compile(" (idle_age|hard_age)=[0-9]+,");

    final OfSwitch sw;
    final Path dir;
    final int port;

    private LiveSwitch(OfSwitch sw, Path dir, int port) {
        this.sw = sw;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a switch with ports p1..p{@code ports} in {@code dir} (real OVS: always 4 ports). */
    static LiveSwitch start(Path dir, int ports) throws IOException {
        return start(dir, ports, null);
    }

    /** As {@link #start(Path, int)}, on {@code clock} (null: a running clock; real OVS: its own clock). */
    static LiveSwitch start(Path dir, int ports, SwitchClock clock) throws IOException {
        if (AGAINST_OVS) {
            Tools.requireOracle("-Dofswitch.against=ovs");
            return startOvs(dir);
        }
        SwitchConfig config = SwitchConfig.defaults().ports(ports).listen("ptcp:0:127.0.0.1")
                .pcapDir(dir, false).unixctl(dir.resolve("ovs-vswitchd.ctl")).passiveProbeIntervalMillis(0);
        OfSwitch sw = new OfSwitch(clock == null ? config : config.clock(clock));
        sw.start();
        return new LiveSwitch(sw, dir, sw.boundOpenFlowPort());
    }

    /** Starts a real ovs-vswitchd 3.1 with ports p1..p4 in {@code dir}/ovs (the caller checked the oracle exists). */
    static LiveSwitch startOvs(Path dir) throws IOException {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        Path ovsDir = dir.resolve("ovs");
        Files.createDirectories(ovsDir);
        Tools.run(60, List.of(Tools.ORACLE.toString(), "start", "--listen", String.valueOf(port), "--dir",
                ovsDir.toString())).ok();
        return new LiveSwitch(null, ovsDir, port);
    }

    String target() {
        return "tcp:127.0.0.1:" + port;
    }

    Path ctl() {
        return dir.resolve("ovs-vswitchd.ctl");
    }

    Path txPcap(int portNumber) {
        return dir.resolve("p" + portNumber + "-tx.pcap");
    }

    /** Runs ovs-ofctl with {@code args}; the word TARGET is replaced by this switch's target. */
    Tools.Result ofctl(String... args) {
        return ofctl(10, args);
    }

    /** As {@link #ofctl(String...)}, ovs-ofctl giving up after {@code seconds} (thousands of flows on a busy CI). */
    Tools.Result ofctl(int seconds, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ovs-ofctl");
        cmd.add("-t");
        cmd.add(String.valueOf(seconds));
        for (String a : args) {
            cmd.add(a.equals("TARGET") ? target() : a);
        }
        return Tools.run(seconds + 10, cmd);
    }

    /** Runs ovs-appctl on this switch's control socket. */
    Tools.Result appctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "-t", ctl().toString()));
        cmd.addAll(List.of(args));
        return Tools.run(20, cmd);
    }

    /**
     * Injects a frame on port p{@code port} and returns once the switch has processed it. This switch does that within
     * {@code netdev-dummy/receive}; real OVS only queues the frame there, so, as the oracle does, two more unixctl
     * round trips and an OpenFlow barrier follow (by then its main loop has polled the port and run the pipeline).
     * The revalidator/purge first makes OVS count the packet against its OpenFlow rules at once.
     */
    void receive(int port, String hex) throws IOException {
        if (sw != null) {
            appctl("netdev-dummy/receive", "p" + port, hex).ok();
            return;
        }
        appctl("revalidator/purge").ok();
        appctl("netdev-dummy/receive", "p" + port, hex).ok();
        appctl("version").ok();
        appctl("version").ok();
        try (OfClient c = OfClient.connect(this.port, OfClient.OF13)) {
            c.barrier();
        }
    }

    /** ovs-ofctl dump-flows output without durations and ages, one flow per entry, sorted. */
    static List<String> flows(Tools.Result dump) {
        List<String> out = new ArrayList<>();
        for (String l : dump.ok().lines()) {
            if (l.startsWith(" ")) {
                out.add(AGES.matcher(DURATION.matcher(l).replaceAll("")).replaceAll("").trim());
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public void close() {
        if (sw != null) {
            sw.close();
        } else {
            Tools.run(60, List.of(Tools.ORACLE.toString(), "stop", dir.toString()));
        }
    }
}
