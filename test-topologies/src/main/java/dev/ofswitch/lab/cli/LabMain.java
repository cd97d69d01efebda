package dev.ofswitch.lab.cli;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.topo.Host;
import dev.ofswitch.lab.topo.Link;
import dev.ofswitch.lab.topo.MininetFormat;
import dev.ofswitch.lab.topo.OpenFlowVersion;
import dev.ofswitch.lab.topo.Switch;
import dev.ofswitch.lab.topo.Topologies;
import dev.ofswitch.lab.topo.Topology;
import dev.ofswitch.lab.topo.TopologyException;
import dev.ofswitch.lab.topo.TopologyFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/lab}: Mininet's {@code mn} for ofswitch. Starts a topology of our switches and emulated hosts, connected
 * to the embedded firewall controller or to remote controllers, then runs a test ({@code --test}) or an interactive
 * console ({@code mininet>}-style prompt with history and completion; commands from a pipe work too).
 *
 * <pre>
 * bin/lab --topo linear,4 --test pingall
 * bin/lab --topo tree,2,2 --controller remote,ip=127.0.0.1,port=6653
 * bin/lab demo
 * </pre>
 */
@Command(name = "lab", mixinStandardHelpOptions = true, version = "ofswitch lab 0.1",
        description = "A Mininet-style lab of ofswitch switches and emulated hosts, without root.",
        subcommands = {Demo.class})
public final class LabMain implements Callable<Integer> {
    @Option(names = "--topo", paramLabel = "SPEC|FILE", description = "Topology: minimal, single,K, linear,K[,N], "
            + "tree,DEPTH,FANOUT, torus,X,Y, reversed,K, or a JSON file (default ${DEFAULT-VALUE}).",
            defaultValue = "minimal")
    String topo;

    @Option(names = "--controller", paramLabel = "KIND[,ip=IP,port=PORT]", description = "embedded (the default: a "
            + "stateful firewall with ct()) or remote[,ip=IP][,port=PORT] (default 127.0.0.1:6653); repeatable.")
    List<String> controllers = new ArrayList<>();

    @Option(names = "--switch", paramLabel = "KIND[,protocols=LIST]", description = "ofswitch (or ovsk, user: the "
            + "same switch) with the OpenFlow versions it offers, e.g. ovsk,protocols=OpenFlow13.")
    String switchSpec;

    @Option(names = "--test", paramLabel = "TEST", description = "pingall, pingpair, iperf, iperfudp or none: run it "
            + "and exit instead of opening the console.")
    String test;

    @Option(names = "--mac", description = "MAC addresses 00:00:00:00:00:0N from host numbers, as Mininet's --mac.")
    boolean mac;

    @Option(names = "--listenport", paramLabel = "PORT", description = "Each switch listens for ovs-ofctl on "
            + "127.0.0.1:PORT, PORT+1, ... (Mininet's --listenport).")
    Integer listenPort;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Where switches' ovs-appctl sockets (S.ctl) and "
            + "ovs-ofctl sockets (S.mgmt) go (default: a new directory in $XDG_RUNTIME_DIR, /dev/shm or the temporary "
            + "directory).")
    Path runDir;

    @Option(names = "--pcap-dir", paramLabel = "DIR", description = "Directory for the pcap command's files "
            + "(default: the run directory).")
    Path pcapDir;

    @Option(names = "--no-unixctl", description = "No ovs-appctl/ovs-ofctl sockets (for very large topologies).")
    boolean noUnixctl;

    public static void main(String[] args) {
        int rc = new CommandLine(new LabMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(rc);
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        Topology t;
        try {
            t = loadTopology(topo, mac, listenPort, switchSpec);
        } catch (TopologyException | IllegalArgumentException e) {
            System.err.println("lab: " + e.getMessage());
            return 2;
        }
        Lab.Options opts = new Lab.Options().progress(out::println).unixctl(!noUnixctl);
        List<String> remote;
        try {
            remote = parseControllers(controllers);
        } catch (IllegalArgumentException e) {
            System.err.println("lab: " + e.getMessage());
            return 2;
        }
        opts.controllers(remote);
        if (runDir != null) {
            opts.runDir(runDir);
        }
        if (test != null && !List.of("pingall", "pingpair", "iperf", "iperfudp", "none").contains(test)) {
            System.err.println("lab: unknown test \"" + test + "\" (pingall, pingpair, iperf, iperfudp, none)");
            return 2;
        }
        try (Lab lab = startAnnounced(t, opts, out)) {
            if (lab == null) {
                return 1;
            }
            LabShell shell = new LabShell(lab, out, MininetFormat.DEFAULT_CONTROLLERS,
                    pcapDir != null ? pcapDir : lab.runDir());
            if (test != null) {
                if (!test.equals("none")) {
                    shell.run(test);
                }
            } else {
                console(shell, out);
            }
            stopAnnounced(lab, out);
        }
        out.printf(Locale.ROOT, "completed in %.3f seconds%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** A topology from a spec or a JSON file, with {@code --mac}, {@code --listenport} and {@code --switch}. */
    static Topology loadTopology(String spec, boolean macs, Integer listenPort, String switchSpec) {
        Topology t = spec.endsWith(".json") || Files.isRegularFile(Path.of(spec))
                ? TopologyFiles.load(Path.of(spec)) : Topologies.parseSpec(spec, macs);
        if (macs && (spec.endsWith(".json") || Files.isRegularFile(Path.of(spec)))) {
            t = t.withAutoMacs();
        }
        if (listenPort != null) {
            t = t.withListenPorts(listenPort);
        }
        if (switchSpec != null) {
            t = withProtocols(t, switchSpec);
        }
        return t.validate();
    }

    private static Topology withProtocols(Topology t, String spec) {
        String[] parts = spec.split(",");
        if (!List.of("ofswitch", "ovsk", "ovs", "user", "default").contains(parts[0])) {
            throw new IllegalArgumentException("unknown switch \"" + parts[0] + "\" (ofswitch, ovsk, user)");
        }
        List<OpenFlowVersion> versions = null;
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].startsWith("protocols=")) {
                throw new IllegalArgumentException("unknown switch option \"" + parts[i] + "\" (protocols=LIST)");
            }
            versions = new ArrayList<>();
            for (String v : parts[i].substring(10).split("[+:]")) {
                versions.add(version(v));
            }
        }
        if (versions == null) {
            return t;
        }
        List<Switch> sw = new ArrayList<>();
        for (Switch s : t.switches()) {
            sw.add(new Switch(s.name(), s.dpid(), versions, s.failMode(), s.controllers(), s.listenPort(), s.flows()));
        }
        return new Topology(t.name(), t.description(), sw, t.hosts(), t.links());
    }

    private static OpenFlowVersion version(String name) {
        for (OpenFlowVersion v : OpenFlowVersion.values()) {
            if (v.ovsName().equalsIgnoreCase(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown OpenFlow version \"" + name + "\" (OpenFlow10, OpenFlow13, "
                + "OpenFlow14, OpenFlow15)");
    }

    /**
     * {@code --controller} values as OpenFlow targets; empty means the embedded controller.
     *
     * @param specs {@code embedded} or {@code remote[,ip=IP][,port=PORT]} each
     * @return {@code tcp:IP:PORT} for each remote controller
     * @throws IllegalArgumentException naming what is wrong with a spec
     */
    public static List<String> parseControllers(List<String> specs) {
        List<String> out = new ArrayList<>();
        for (String spec : specs) {
            String[] parts = spec.split(",");
            String kind = parts[0].toLowerCase(Locale.ROOT);
            if (kind.equals("embedded") || kind.equals("default")) {
                if (parts.length > 1) {
                    throw new IllegalArgumentException("the embedded controller takes no options: " + spec);
                }
                continue;
            }
            if (!kind.equals("remote")) {
                throw new IllegalArgumentException("unknown controller \"" + parts[0] + "\" (embedded, remote)");
            }
            String ip = "127.0.0.1";
            int port = 6653;
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].startsWith("ip=")) {
                    ip = parts[i].substring(3);
                } else if (parts[i].startsWith("port=")) {
                    try {
                        port = Integer.parseInt(parts[i].substring(5));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad controller port in \"" + spec + "\"");
                    }
                } else {
                    throw new IllegalArgumentException("unknown controller option \"" + parts[i] + "\" in \"" + spec
                            + "\" (ip=, port=)");
                }
            }
            out.add("tcp:" + ip + ":" + port);
        }
        return out;
    }

    /** Starts the lab with Mininet's progress lines; returns null (after saying why) if it cannot start. */
    static Lab startAnnounced(Topology t, Lab.Options opts, PrintStream out) throws IOException,
            InterruptedException {
        out.println("*** Creating network");
        out.println("*** Adding controller");
        out.println("*** Adding hosts:");
        out.println(names(t.hostsInNetOrder().stream().map(Host::name).toList()));
        out.println("*** Adding switches:");
        out.println(names(t.switchesInNetOrder().stream().map(Switch::name).toList()));
        out.println("*** Adding links:");
        StringBuilder ls = new StringBuilder();
        for (Link l : t.linksInNetOrder()) {   // Mininet.buildFromTopo(): topo.links(sort=True)
            ls.append('(').append(l.node1()).append(", ").append(l.node2()).append(") ");
        }
        out.println(ls);
        out.println("*** Configuring hosts");
        out.println(names(t.hostsInNetOrder().stream().map(Host::name).toList()));
        out.println("*** Starting controller");
        out.println("c0 ");
        out.println("*** Starting " + t.switches().size() + " switches");
        Lab lab = Lab.start(t, opts);
        out.println(names(t.switchesInNetOrder().stream().map(Switch::name).toList()) + "...");
        out.println("*** Waiting for switches to connect");
        if (!lab.awaitConnected(Duration.ofSeconds(Math.max(30, t.switches().size() / 20)))) {
            out.println("*** Error: only " + lab.connectedSwitches() + " of " + t.switches().size()
                    + " switches connected to the controller");
            lab.close();
            return null;
        }
        out.println(names(t.switchesInNetOrder().stream().map(Switch::name).toList()));
        if (java.nio.file.Files.exists(lab.runDir().resolve(t.switchesInNetOrder().get(0).name() + ".ctl"))) {
            out.println("*** Switch sockets: ovs-ofctl unix:" + lab.runDir() + "/S.mgmt, ovs-appctl -t "
                    + lab.runDir() + "/S.ctl");
        }
        return lab;
    }

    static void stopAnnounced(Lab lab, PrintStream out) {
        Topology t = lab.topology();
        out.println("*** Stopping 1 controllers");
        out.println("c0 ");
        out.println("*** Stopping " + t.links().size() + " links");
        out.println(".".repeat(t.links().size()));
        out.println("*** Stopping " + t.switches().size() + " switches");
        out.println(names(t.switchesInNetOrder().stream().map(Switch::name).toList()));
        out.println("*** Stopping " + t.hosts().size() + " hosts");
        out.println(names(t.hostsInNetOrder().stream().map(Host::name).toList()));
        lab.close();
        out.println("*** Done");
    }

    private static String names(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append(' ');
        }
        return sb.toString();
    }

    /** The interactive console: JLine on a terminal, plain lines from a pipe. */
    private static void console(LabShell shell, PrintStream out) throws IOException {
        out.println("*** Starting CLI:");
        if (System.console() == null) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                out.println("mininet> " + line);
                if (!shell.run(line)) {
                    break;
                }
            }
            return;
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            List<String> words = new ArrayList<>(LabShell.COMMANDS);
            words.addAll(shell.nodeNames());
            LineReader reader = LineReaderBuilder.builder().terminal(terminal)
                    .completer(new StringsCompleter(words)).build();
            while (true) {
                String line;
                try {
                    line = reader.readLine("mininet> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (!shell.run(line)) {
                    break;
                }
            }
        }
    }
}
