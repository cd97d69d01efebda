package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.channel.Target;
import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.ofctl.FlowPrinter;
import dev.ofswitch.ofswitch.ofctl.OfctlFlows;
import dev.ofswitch.ofswitch.ofctl.OfctlParseException;
import dev.ofswitch.ofswitch.ofctl.OfctlRequests;
import dev.ofswitch.ofswitch.ofctl.PortStatsPrinter;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/ofctl}: a small {@code ovs-ofctl} work-alike that talks OpenFlow to any switch (this one or Open vSwitch)
 * with this project's parser and printers, so no OVS has to be installed.
 *
 * <pre>
 * bin/ofctl -O OpenFlow13 add-flow tcp:127.0.0.1:6653 'priority=10,ip,actions=ct(table=1)'
 * bin/ofctl -O OpenFlow13 add-flows tcp:127.0.0.1:6653 flows.txt
 * bin/ofctl -O OpenFlow13 --strict mod-flows tcp:127.0.0.1:6653 'priority=10,ip,actions=drop'
 * bin/ofctl -O OpenFlow13 dump-flows tcp:127.0.0.1:6653 'table=1,cookie=0x5/-1,out_port=2'
 * bin/ofctl -O OpenFlow13 del-flows unix:/run/s1.mgmt
 * bin/ofctl packet-out tcp:127.0.0.1:6653 1 'ct(commit),output:2' 505400000002...
 * bin/ofctl -O OpenFlow15 packet-out tcp:127.0.0.1:6653 'in_port=p1,reg0=5,packet=5054...,actions=output:p2'
 * bin/ofctl -O OpenFlow13 dump-ports tcp:127.0.0.1:6653 [p1]
 * </pre>
 *
 * <h2>What goes on the wire</h2>
 * What ovs-ofctl 3.1 sends: HELLO offering the one version, then per flow mod or packet-out the message and a
 * BARRIER_REQUEST (after NXT_SET_FLOW_FORMAT / NXT_FLOW_MOD_TABLE_ID and their barriers when OpenFlow 1.0 needs
 * them), or one stats request (dump-flows over OpenFlow 1.0: NXT_SET_FLOW_FORMAT first, as ovs-ofctl always asks for
 * NXST_FLOW). Transaction ids count from 1 across all of a command's connections, as ovs-ofctl's do, so the xids
 * printed in reply headers are the ones ovs-ofctl prints.
 *
 * <h2>Port names</h2>
 * As ovs-ofctl (unless {@code --no-names}), a port name in a flow, an action, a packet-out or dump-ports' PORT is
 * resolved with the switch's ports, fetched on a second connection (FEATURES_REQUEST over OpenFlow 1.0, PORT_DESC
 * over 1.3+). {@code dump-flows FLOW} fetches the ports and the table features up front, each on its own connection,
 * exactly when ovs-ofctl does, so its transaction ids stay in step; elsewhere the ports are fetched only when a name
 * needs them (ovs-ofctl always fetches; only xids of requests that print nothing differ). Table names are not
 * resolved. {@code --names} prints port names in dump-flows and dump-ports.
 *
 * <p>An error from the switch ends the command with status 1 and the error's type and code.
 */
@Command(name = "ofctl", mixinStandardHelpOptions = true, version = "ofctl (ofswitch) 0.1.0",
        description = "ovs-ofctl's flow, packet-out and port stats commands without Open vSwitch: add-flow SWITCH "
                + "FLOW, add-flows SWITCH FILE, mod-flows SWITCH FLOW, del-flows SWITCH [FLOW], dump-flows SWITCH "
                + "[FLOW], packet-out SWITCH IN_PORT ACTIONS PACKET... (or SWITCH 'in_port=...,packet=HEX,"
                + "actions=...'), dump-ports SWITCH [PORT]. SWITCH is tcp:IP[:PORT] or unix:PATH.")
public final class OfctlMain implements Callable<Integer> {
    @Option(names = {"-O", "--protocols"}, paramLabel = "VERSION", description = "OpenFlow10 (the default, as "
            + "ovs-ofctl), OpenFlow13, OpenFlow14 or OpenFlow15.")
    String protocol = "OpenFlow10";

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECS", description = "Give up after SECS seconds (default: "
            + "${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Option(names = "--no-stats", description = "dump-flows: leave out the statistics.")
    boolean noStats;

    @Option(names = "--strict", description = "mod-flows, del-flows: match the flow's priority and match exactly.")
    boolean strict;

    @Option(names = "--no-names", description = "Do not resolve port names (numbers only; nothing fetched).")
    boolean noNames;

    @Option(names = "--names", description = "dump-flows, dump-ports: show port names instead of numbers.")
    boolean names;

    @Parameters(index = "0", paramLabel = "COMMAND")
    String command;

    @Parameters(index = "1", paramLabel = "SWITCH")
    String target;

    @Parameters(index = "2..*", paramLabel = "ARG")
    List<String> args = new ArrayList<>();

    private final PrintStream out;
    /** The last transaction id used, shared by every connection of this command (ovs-ofctl's alloc_xid()). */
    private int lastXid;
    /** The switch's ports by name, once fetched. */
    private Map<String, Integer> portsByName;
    /** The switch's table names by table id, once fetched. */
    private Map<Integer, String> tableNames;

    OfctlMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] argv) {
        System.exit(run(System.out, System.err, argv));
    }

    /** Runs one command line; returns the exit status (0 ok, 1 failure, 2 usage). */
    static int run(PrintStream out, PrintStream err, String... argv) {
        CommandLine cl = new CommandLine(new OfctlMain(out));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parse) -> {
            err.println("ofctl: " + e.getMessage());
            return 1;
        });
        return cl.execute(argv);
    }

    /** The wire version for ovs-ofctl's {@code -O} name. */
    static int version(String name) {
        return switch (name) {
            case "OpenFlow10" -> OfVersion.OF10;
            case "OpenFlow13" -> OfVersion.OF13;
            case "OpenFlow14" -> OfVersion.OF14;
            case "OpenFlow15" -> OfVersion.OF15;
            default -> throw new IllegalArgumentException(name + ": unknown or unsupported OpenFlow version "
                    + "(OpenFlow10, OpenFlow13, OpenFlow14, OpenFlow15)");
        };
    }

    @Override
    public Integer call() throws Exception {
        int version = version(protocol);
        try {
            switch (command) {
                case "add-flow" -> flowMods(version, FlowMod.OFPFC_ADD, arg(0, "FLOW"), false);
                case "add-flows" -> flowMods(version, FlowMod.OFPFC_ADD, arg(0, "FILE"), true);
                case "mod-flows" -> flowMods(version, strict ? FlowMod.OFPFC_MODIFY_STRICT : FlowMod.OFPFC_MODIFY,
                        arg(0, "FLOW"), false);
                case "del-flows" -> flowMods(version, strict ? FlowMod.OFPFC_DELETE_STRICT : FlowMod.OFPFC_DELETE,
                        args.isEmpty() ? "" : args.get(0), false);
                case "dump-flows" -> dumpFlows(version, args.isEmpty() ? "" : args.get(0));
                case "packet-out" -> packetOut(version);
                case "dump-ports" -> dumpPorts(version, args.isEmpty() ? null : args.get(0));
                default -> throw new IllegalArgumentException("unknown command '" + command + "'; use --help for help");
            }
        } catch (OfctlParseException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return 0;
    }

    private String arg(int i, String what) {
        if (args.size() <= i) {
            throw new IllegalArgumentException("'" + command + "' command requires at least " + (i + 2)
                    + " arguments (" + what + " missing)");
        }
        return args.get(i);
    }

    /** A port name resolver that fetches the switch's ports the first time a name is asked for. */
    private ToIntFunction<String> lazyPorts(int version) {
        if (noNames) {
            return name -> -1;
        }
        return name -> {
            try {
                return portsByName(version).getOrDefault(name, -1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The flow mod commands; {@code file} for add-flows (and FLOW "-", as ovs-ofctl reads stdin then). */
    private void flowMods(int version, int cmd, String text, boolean file) throws Exception {
        OfctlFlows.FlowModBatch batch;
        ToIntFunction<String> ports = lazyPorts(version);
        if (file || text.equals("-")) {
            try (Reader r = text.equals("-") ? new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)
                    : Files.newBufferedReader(Path.of(text), StandardCharsets.UTF_8)) {
                batch = OfctlFlows.parseFlowFile(r, text, version, cmd, ports);
            }
        } else {
            batch = OfctlFlows.parseFlowMod(text, version, cmd, ports);
        }
        List<byte[]> messages = new ArrayList<>();
        for (OfctlFlows.ParsedFlowMod fm : batch.flowMods()) {
            messages.add(fm.bytes());
        }
        try (Connection c = open(version)) {
            for (byte[] p : batch.preamble()) {
                c.transact(p);
            }
            for (byte[] m : messages) {
                c.transact(m);
            }
        }
    }

    /**
     * ovs-ofctl's {@code packet-out}: with three or more arguments after the switch the old syntax (IN_PORT ACTIONS
     * PACKET...), with one the packet-out syntax; two is refused as ovs-ofctl refuses it.
     */
    private void packetOut(int version) throws Exception {
        OfctlRequests.Batch batch;
        ToIntFunction<String> ports = lazyPorts(version);
        if (args.size() >= 3) {
            int inPort = portNumber(version, args.get(0));
            batch = OfctlRequests.packetOut(inPort, args.get(1), args.subList(2, args.size()), version, ports);
        } else if (args.size() == 1) {
            batch = OfctlRequests.packetOut(args.get(0), version, ports);
        } else if (args.isEmpty()) {
            throw new IllegalArgumentException("'packet-out' command requires at least 2 arguments");
        } else {
            throw new IllegalArgumentException("Too many arguments (4)");
        }
        try (Connection c = open(version)) {
            for (byte[] p : batch.preamble()) {
                c.transact(p);
            }
            for (byte[] m : batch.messages()) {
                c.transact(m);
            }
        }
    }

    /**
     * ovs-ofctl's {@code str_to_port_no()}: a number or reserved name, else a name the switch knows, else an error
     * naming the switch and the port.
     */
    private int portNumber(int version, String name) throws IOException {
        int p = OfctlFlows.portFromString(name);
        if (p < 0 && !noNames) {
            p = portsByName(version).getOrDefault(name, -1);
        }
        if (p < 0) {
            throw new IllegalArgumentException(target + ": unknown port `" + name + "'");
        }
        return p;
    }

    private void dumpFlows(int version, String match) throws Exception {
        if (!match.isEmpty() && !noNames) {
            // ovs-ofctl's ports_to_accept() then tables_to_accept(), each on a connection of its own.
            portsByName(version);
            tableNames(version);
        }
        OfctlRequests.Batch batch = OfctlRequests.flowStatsRequest(match, version, lazyPorts(version));
        List<byte[]> replies;
        try (Connection c = open(version)) {
            for (byte[] p : batch.preamble()) {
                c.transact(p);
            }
            replies = c.dump(batch.messages().get(0));
        }
        // ovs-ofctl fetches the names it shows only when it prints, after the dump.
        FlowPrinter.Options o = new FlowPrinter.Options(!noStats, names ? portNamesByNumber(version) : Map.of(),
                names ? tableNames(version) : Map.of(), List.of());
        out.print(FlowPrinter.dumpFlows(wrap(replies), o));
    }

    private void dumpPorts(int version, String port) throws Exception {
        int port16 = port == null ? Action.OFPP_NONE : portNumber(version, port);
        List<byte[]> replies;
        try (Connection c = open(version)) {
            replies = c.dump(OfctlRequests.portStatsRequest(version, port16, 0));
        }
        out.print(PortStatsPrinter.dumpPorts(wrap(replies), names ? portNamesByNumber(version) : Map.of()));
    }

    private static List<ByteBuf> wrap(List<byte[]> messages) {
        List<ByteBuf> out = new ArrayList<>();
        for (byte[] m : messages) {
            out.add(Unpooled.wrappedBuffer(m));
        }
        return out;
    }

    private Connection open(int version) throws IOException {
        return Connection.open(target, version, timeoutSeconds, () -> ++lastXid);
    }

    /** ovs-ofctl's {@code get_port_map()}: the switch's ports, on a connection of their own, once. */
    private Map<String, Integer> portsByName(int version) throws IOException {
        if (portsByName == null) {
            Map<String, Integer> m = new LinkedHashMap<>();
            try (Connection c = open(version)) {
                if (version == OfVersion.OF10) {
                    // OpenFlow 1.0 lists the ports in the FEATURES_REPLY: 32 bytes, then 48 per ofp_phy_port
                    // (port_no(2) hw_addr(6) name(16) ...).
                    byte[] r = c.request(new byte[] {(byte) version, 5, 0, 8, 0, 0, 0, 0}, 6);
                    for (int i = 32; i + 48 <= r.length; i += 48) {
                        m.putIfAbsent(cName(r, i + 8, 16), ((r[i] & 0xff) << 8) | (r[i + 1] & 0xff));
                    }
                } else {
                    // OFPMP_PORT_DESC: ofp11_port (64 bytes: port_no(4) pad(4) hw_addr(6) pad(2) name(16) ...) or
                    // 1.4+ ofp14_port (port_no(4) length(2) pad(2) hw_addr(6) pad(2) name(16) ... properties).
                    byte[] req = {(byte) version, 18, 0, 16, 0, 0, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0};
                    if (version >= OfVersion.OF15) {
                        req = new byte[] {(byte) version, 18, 0, 24, 0, 0, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0,
                            -1, -1, -1, -1, 0, 0, 0, 0};
                    }
                    for (byte[] r : c.dump(req)) {
                        for (int i = 16; i + 32 <= r.length; ) {
                            long p32 = ((long) (r[i] & 0xff) << 24) | ((r[i + 1] & 0xff) << 16)
                                    | ((r[i + 2] & 0xff) << 8) | (r[i + 3] & 0xff);
                            int len = version >= OfVersion.OF14 ? ((r[i + 4] & 0xff) << 8) | (r[i + 5] & 0xff) : 64;
                            int p16 = MatchField.portFromOfp11(p32);
                            if (p16 >= 0) {
                                m.putIfAbsent(cName(r, i + 16, 16), p16);
                            }
                            if (len < 64) {
                                break;
                            }
                            i += len;
                        }
                    }
                }
            }
            portsByName = m;
        }
        return portsByName;
    }

    private Map<Integer, String> portNamesByNumber(int version) throws IOException {
        Map<Integer, String> byNumber = new HashMap<>();
        portsByName(version).forEach((name, number) -> byNumber.putIfAbsent(number, name));
        return byNumber;
    }

    /**
     * ovs-ofctl's {@code get_table_map()}: the tables' names from OFPST_TABLE (1.0: 64-byte {@code ofp10_table_stats},
     * table_id(1) pad(3) name(32) ...) or OFPMP_TABLE_FEATURES (1.3+: length(2) table_id(1) pad(5) name(32) ...), on
     * a connection of its own, once. Shown by {@code --names}; flows given to this tool still name tables by number.
     */
    private Map<Integer, String> tableNames(int version) throws IOException {
        if (tableNames == null) {
            Map<Integer, String> m = new HashMap<>();
            try (Connection c = open(version)) {
                if (version == OfVersion.OF10) {
                    for (byte[] r : c.dump(new byte[] {(byte) version, 16, 0, 12, 0, 0, 0, 0, 0, 3, 0, 0})) {
                        for (int i = 12; i + 64 <= r.length; i += 64) {
                            putName(m, r[i] & 0xff, cName(r, i + 4, 32));
                        }
                    }
                } else {
                    for (byte[] r : c.dump(new byte[] {(byte) version, 18, 0, 16, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0,
                        0})) {
                        for (int i = 16; i + 40 <= r.length; ) {
                            int len = ((r[i] & 0xff) << 8) | (r[i + 1] & 0xff);
                            putName(m, r[i + 2] & 0xff, cName(r, i + 8, 32));
                            if (len < 64) {
                                break;
                            }
                            i += len;
                        }
                    }
                }
            }
            tableNames = m;
        }
        return tableNames;
    }

    private static void putName(Map<Integer, String> m, int table, String name) {
        if (!name.isEmpty()) {
            m.putIfAbsent(table, name);
        }
    }

    /** A NUL-terminated name of at most {@code max} bytes. */
    private static String cName(byte[] b, int at, int max) {
        int n = 0;
        while (n < max && b[at + n] != 0) {
            n++;
        }
        return new String(b, at, n, StandardCharsets.UTF_8);
    }

    /**
     * The request {@code ovs-ofctl dump-flows} sends without a flow: OpenFlow 1.3+ MULTIPART_REQUEST FLOW (table
     * ALL, out_port and out_group ANY, empty OXM match); OpenFlow 1.0 NXST_FLOW (out_port NONE, table ALL, no match).
     */
    static byte[] flowStatsRequestAll(int version, int xid) {
        try {
            return OfctlFlows.withXid(OfctlRequests.flowStatsRequest("", version, n -> -1).messages().get(0), xid);
        } catch (OfctlParseException e) {
            throw new AssertionError(e);
        }
    }

    static int xid(byte[] m) {
        return ((m[4] & 0xff) << 24) | ((m[5] & 0xff) << 16) | ((m[6] & 0xff) << 8) | (m[7] & 0xff);
    }

    static String errorText(byte[] m) {
        int type = ((m[8] & 0xff) << 8) | (m[9] & 0xff);
        int code = ((m[10] & 0xff) << 8) | (m[11] & 0xff);
        return "the switch answered OFPT_ERROR type " + type + " code " + code;
    }

    /** One OpenFlow connection, blocking, past HELLO. */
    static final class Connection implements AutoCloseable {
        private final java.io.Closeable channel;
        private final DataInputStream in;
        private final OutputStream out;
        private final int version;
        private final IntSupplier xids;

        private Connection(java.io.Closeable channel, InputStream in, OutputStream out, int version,
                           IntSupplier xids) {
            this.channel = channel;
            this.in = new DataInputStream(in);
            this.out = out;
            this.version = version;
            this.xids = xids;
        }

        /** Connects and exchanges HELLO; {@code xids} numbers every message sent, HELLO included. */
        static Connection open(String target, int version, int timeoutSeconds, IntSupplier xids)
                throws IOException {
            Connection c;
            if (target.startsWith("unix:")) {
                // A unix socket channel has no read timeout: -t applies to TCP targets only.
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(target.substring(5)));
                c = new Connection(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch), version, xids);
            } else {
                Target t = Target.parse(target);
                if (t.kind() != Target.Scheme.TCP) {
                    throw new IllegalArgumentException(target + ": not an active target (tcp:IP[:PORT], unix:PATH)");
                }
                Socket sock = new Socket();
                sock.connect(new InetSocketAddress(t.host(), t.port()), timeoutSeconds * 1000);
                sock.setSoTimeout(timeoutSeconds * 1000);
                sock.setTcpNoDelay(true);
                c = new Connection(sock, sock.getInputStream(), sock.getOutputStream(), version, xids);
            }
            // ovs-ofctl's HELLO: the version in the header and a bitmap element with only that version.
            c.send(OfctlFlows.withXid(new byte[] {(byte) version, 0, 0, 16, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 0,
                (byte) (1 << version)}, c.nextXid()));
            byte[] hello = c.read();
            if (hello[1] != 0) {
                throw new IOException(target + ": expected HELLO, got message type " + (hello[1] & 0xff));
            }
            if ((hello[0] & 0xff) < version) {
                throw new IOException(target + ": version negotiation failed (we support version 0x0" + version
                        + ", peer supports version 0x0" + (hello[0] & 0xff) + ")");
            }
            return c;
        }

        int nextXid() {
            return xids.getAsInt();
        }

        /**
         * Sends a stats request (its xid replaced) and returns the replies with its xid up to the one without the
         * "more" flag; fails on an error with its xid.
         */
        List<byte[]> dump(byte[] request) throws IOException {
            int x = nextXid();
            send(OfctlFlows.withXid(request, x));
            List<byte[]> replies = new ArrayList<>();
            while (true) {
                byte[] m = read();
                if (xid(m) != x) {
                    continue;
                }
                if (m[1] == 1) {
                    throw new IllegalStateException(errorText(m));
                }
                replies.add(m);
                // The stats flags follow the stats type in every version (bytes 10-11).
                int flags = m.length >= 12 ? ((m[10] & 0xff) << 8) | (m[11] & 0xff) : 0;
                if ((flags & 1) == 0) {
                    return replies;
                }
            }
        }

        /** Sends {@code request} (its xid replaced) and returns the reply of type {@code replyType}. */
        byte[] request(byte[] request, int replyType) throws IOException {
            int x = nextXid();
            send(OfctlFlows.withXid(request, x));
            while (true) {
                byte[] m = read();
                if (xid(m) == x && m[1] == 1) {
                    throw new IllegalStateException(errorText(m));
                }
                if (xid(m) == x && m[1] == replyType) {
                    return m;
                }
            }
        }

        void send(byte[] m) throws IOException {
            out.write(m);
            out.flush();
        }

        byte[] read() throws IOException {
            byte[] h = new byte[8];
            in.readFully(h);
            int len = ((h[2] & 0xff) << 8) | (h[3] & 0xff);
            if (len < 8) {
                throw new IOException("bad OpenFlow message length " + len);
            }
            byte[] m = new byte[len];
            System.arraycopy(h, 0, m, 0, 8);
            in.readFully(m, 8, len - 8);
            if (m[1] == 2) {          // ECHO_REQUEST: answer as ovs-ofctl's vconn does
                byte[] r = m.clone();
                r[1] = 3;
                send(r);
                return read();
            }
            return m;
        }

        /** Sends {@code msg} (its xid replaced) and a barrier; fails on an error before the barrier reply. */
        void transact(byte[] msg) throws IOException {
            int x = nextXid();
            send(OfctlFlows.withXid(msg, x));
            int bx = nextXid();
            int barrierType = version == OfVersion.OF10 ? 18 : 20;
            send(new byte[] {(byte) version, (byte) barrierType, 0, 8, (byte) (bx >>> 24), (byte) (bx >>> 16),
                    (byte) (bx >>> 8), (byte) bx});
            while (true) {
                byte[] m = read();
                if (m[1] == 1 && (xid(m) == x || xid(m) == bx)) {
                    throw new IllegalStateException(errorText(m));
                }
                if (m[1] == (byte) (barrierType + 1) && xid(m) == bx) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

}
