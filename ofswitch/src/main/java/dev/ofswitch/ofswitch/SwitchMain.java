package dev.ofswitch.ofswitch;

import dev.ofswitch.conntrack.TimeoutPolicy;
import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.channel.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/ofswitch}: runs one switch in the foreground until SIGTERM.
 *
 * <pre>
 * bin/ofswitch --listen ptcp:6634:127.0.0.1 --controller tcp:127.0.0.1:6653 --ports 4 \
 *              --unixctl /tmp/s1.ctl --pcap-dir /tmp/s1 --flows flows.txt
 * bin/ofswitch --listen pssl:6653 --private-key sc-privkey.pem --certificate sc-cert.pem \
 *              --ca-cert pki/controllerca/cacert.pem
 * bin/ofswitch --oracle DIR PORTS OFPORT        # the ovs-oracle contract (shared/oracle/SWITCH-CONTRACT.md)
 * </pre>
 */
@Command(name = "ofswitch", mixinStandardHelpOptions = true, version = "ofswitch 0.1.0",
        description = "An Open vSwitch-compatible OpenFlow switch with userspace connection tracking.")
public final class SwitchMain implements Callable<Integer> {
    @Option(names = "--oracle", arity = "3", paramLabel = "ARG",
            description = "Oracle mode: DIR PORTS OFPORT (ports p1..pN, OpenFlow on 127.0.0.1:OFPORT, "
                    + "DIR/ovs-vswitchd.ctl, DIR/pN-tx.pcap, DIR/zone-tp.txt, then DIR/ready).")
    List<String> oracle;

    @Option(names = "--listen", paramLabel = "TARGET", description = "Passive OpenFlow listener: ptcp:PORT[:IP], "
            + "pssl:PORT[:IP] (IP defaults to 127.0.0.1) or punix:PATH (owner only) (repeatable).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--controller", paramLabel = "TARGET", description = "Controller to connect to: tcp:IP[:PORT] "
            + "or ssl:IP[:PORT] (repeatable).")
    List<String> controllers = new ArrayList<>();

    @Option(names = {"-p", "--private-key"}, paramLabel = "FILE", description = "PEM private key for ssl/pssl "
            + "(as ovs-vswitchd).")
    Path privateKey;

    @Option(names = {"-c", "--certificate"}, paramLabel = "FILE", description = "PEM certificate for that key.")
    Path certificate;

    @Option(names = {"-C", "--ca-cert"}, paramLabel = "FILE", description = "PEM CA certificate that peers' "
            + "certificates must be signed by (\"none\": no verification, a security risk).")
    String caCert;

    @Option(names = "--bootstrap-ca-cert", paramLabel = "FILE", description = "As --ca-cert if FILE exists; "
            + "otherwise learn the CA from the first ssl: controller and save it there.")
    Path bootstrapCaCert;

    @Option(names = "--max-backoff", paramLabel = "MS", description = "Longest wait between attempts to reconnect "
            + "to a controller (default ${DEFAULT-VALUE}).")
    long maxBackoffMillis = 8000;

    @Option(names = "--ports", paramLabel = "N", description = "Ports 1..N named p1..pN (default ${DEFAULT-VALUE}).")
    int ports = 4;

    @Option(names = "--dpid", paramLabel = "HEX", description = "Datapath id in hex (default 1).")
    String dpid = "1";

    @Option(names = "--name", paramLabel = "NAME", description = "Bridge name (default ${DEFAULT-VALUE}).")
    String name = "br0";

    @Option(names = "--unixctl", paramLabel = "PATH", description = "ovs-appctl control socket.")
    Path unixctl;

    @Option(names = "--pcap-dir", paramLabel = "DIR", description = "Write NAME-tx.pcap for every port there.")
    Path pcapDir;

    @Option(names = "--pcap-rx", description = "Also write NAME-rx.pcap.")
    boolean pcapRx;

    @Option(names = "--protocols", paramLabel = "LIST", description = "OpenFlow versions offered "
            + "(default OpenFlow10,OpenFlow13,OpenFlow14,OpenFlow15).")
    String protocols;

    @Option(names = "--fail-mode", paramLabel = "MODE", description = "secure or standalone (default secure).")
    String failMode = "secure";

    @Option(names = "--desc-profile", paramLabel = "PROFILE", description = "ofswitch or ovs (DESC reports Open "
            + "vSwitch 3.1.0, so that ONOS picks its Nicira driver).")
    String descProfile;

    @Option(names = "--probe-interval", paramLabel = "MS", description = "Inactivity probe on controller "
            + "connections, 0 for none (default ${DEFAULT-VALUE}).")
    long probeMillis = 5000;

    @Option(names = "--datapath-threads", paramLabel = "N", description = "Datapath worker threads "
            + "(default ${DEFAULT-VALUE}).")
    int datapathThreads = 1;

    @Option(names = "--zone-tp", paramLabel = "FILE", description = "Conntrack timeout policies, one per line: "
            + "zone=N key=seconds ...")
    Path zoneTp;

    @Option(names = "--flows", paramLabel = "FILE", description = "Flows to install at start, in ovs-ofctl add-flows "
            + "syntax (as ovs-ofctl -O OpenFlow13 add-flows would; no Open vSwitch needed). A bad line stops the "
            + "start with ovs-ofctl's message naming FILE and line.")
    Path flows;

    public static void main(String[] args) {
        int rc = new CommandLine(new SwitchMain()).execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    @Override
    public Integer call() throws Exception {
        SwitchConfig cfg = SwitchConfig.defaults();
        Path readyFile = null;
        try {
            if (oracle != null) {
                Path dir = Path.of(oracle.get(0)).toAbsolutePath();
                int n = Integer.parseInt(oracle.get(1));
                int ofport = Integer.parseInt(oracle.get(2));
                cfg.ports(n).listen("ptcp:" + ofport + ":127.0.0.1").unixctl(dir.resolve("ovs-vswitchd.ctl"))
                        .pcapDir(dir, false).passiveProbeIntervalMillis(0).descProfile("ovs");
                if (Files.exists(dir.resolve("zone-tp.txt"))) {
                    zoneTp = dir.resolve("zone-tp.txt");
                }
                readyFile = dir.resolve("ready");
            } else {
                cfg.ports(ports);
                if (unixctl != null) {
                    cfg.unixctl(unixctl);
                }
                if (pcapDir != null) {
                    cfg.pcapDir(pcapDir, pcapRx);
                }
                if (descProfile == null) {
                    descProfile = "ofswitch";
                }
            }
            for (String l : listen) {
                cfg.listen(l);
            }
            for (String c : controllers) {
                cfg.controller(c);
            }
            cfg.dpid(Long.parseUnsignedLong(dpid.startsWith("0x") ? dpid.substring(2) : dpid, 16)).name(name)
                    .probeIntervalMillis(probeMillis).datapathThreads(datapathThreads)
                    .maxBackoffMillis(maxBackoffMillis);
            TlsSettings tls = TlsSettings.of(privateKey, certificate, caCert, bootstrapCaCert);
            if (tls.isConfigured()) {
                cfg.tls(tls);
            }
            if (descProfile != null) {
                cfg.descProfile(descProfile);
            }
            if (protocols != null) {
                cfg.versions(OfVersion.parseList(protocols));
            }
            cfg.failMode(SwitchConfig.FailMode.valueOf(failMode.toUpperCase()));
            if (flows != null && !Files.isReadable(flows)) {
                throw new IllegalArgumentException(flows + ": cannot read the flows file");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ofswitch: " + e.getMessage());
            return 2;
        }

        OfSwitch sw = new OfSwitch(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sw.close();
            stopped.countDown();
        }, "ofswitch-shutdown"));
        try {
            if (zoneTp != null) {
                applyZoneTimeoutPolicies(sw, zoneTp);
            }
            sw.start();
            if (flows != null) {
                FlowLoader.addFlows(sw, flows);
            }
        } catch (FlowLoader.FlowLoadException e) {
            System.err.println("ofswitch: " + e.getMessage());
            sw.close();
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("ofswitch: cannot start: " + e.getMessage());
            sw.close();
            return 1;
        }
        if (readyFile != null) {
            Files.writeString(readyFile, "");
        }
        System.err.println("ofswitch: " + name + " ready" + (sw.boundOpenFlowPort() > 0 ? ", OpenFlow on port "
                + sw.boundOpenFlowPort() : "") + (sw.boundTlsPort() > 0 ? ", OpenFlow over TLS on port "
                + sw.boundTlsPort() : ""));
        stopped.await();
        return 0;
    }

    /** Reads {@code zone=N key=seconds ...} lines (the oracle's zone-tp.txt, ovs-vsctl add-zone-tp syntax). */
    static void applyZoneTimeoutPolicies(OfSwitch sw, Path file) throws IOException {
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] words = t.split("\\s+");
            if (!words[0].startsWith("zone=")) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected zone=N first, got \"" + words[0]
                        + "\"");
            }
            int zone;
            try {
                zone = Integer.parseInt(words[0].substring(5));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": bad zone \"" + words[0] + "\"");
            }
            if (zone < 0 || zone > 65535) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": zone out of range: " + zone);
            }
            try {
                TimeoutPolicy p = TimeoutPolicy.parse(t.substring(words[0].length()));
                sw.conntrack().setTimeoutPolicy(zone, p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage());
            }
        }
    }
}
