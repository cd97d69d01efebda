package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.channel.Target;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowStats;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.ofctl.FlowPrinter;
import dev.ofswitch.ofswitch.ofctl.OfctlFlows;
import dev.ofswitch.ofswitch.ofctl.OfctlParseException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/ofctl}: a small {@code ovs-ofctl} work-alike that talks OpenFlow to any switch (this one or Open vSwitch)
 * with this project's parser and printer, so no OVS has to be installed.
 *
 * <pre>
 * bin/ofctl -O OpenFlow13 add-flow tcp:127.0.0.1:6653 'priority=10,ip,actions=ct(table=1)'
 * bin/ofctl -O OpenFlow13 add-flows tcp:127.0.0.1:6653 flows.txt
 * bin/ofctl -O OpenFlow13 dump-flows tcp:127.0.0.1:6653
 * bin/ofctl -O OpenFlow13 del-flows unix:/run/s1.mgmt
 * </pre>
 *
 * <p>What it sends is what {@code ovs-ofctl --no-names} sends: HELLO offering the one version, then per flow the
 * FLOW_MOD and a BARRIER_REQUEST (after NXT_SET_FLOW_FORMAT / NXT_FLOW_MOD_TABLE_ID and their barriers when
 * OpenFlow 1.0 needs them), or one flow stats request. dump-flows output is ovs-ofctl's text ({@link FlowPrinter}).
 * Port names in flows resolve to {@code pN} = N only when written as numbers: like {@code --no-names}, no PORT_DESC
 * is asked for. An error from the switch ends the command with status 1 and the error's type and code.
 *
 * <p>Not yet: dump-flows with a flow argument, packet-out, dump-ports, mod-flows, --strict.
 */
@Command(name = "ofctl", mixinStandardHelpOptions = true, version = "ofctl (ofswitch) 0.1.0",
        description = "ovs-ofctl's flow commands without Open vSwitch: add-flow SWITCH FLOW, add-flows SWITCH FILE, "
                + "del-flows SWITCH [FLOW], dump-flows SWITCH. SWITCH is tcp:IP[:PORT] or unix:PATH.")
public final class OfctlMain implements Callable<Integer> {
    @Option(names = {"-O", "--protocols"}, paramLabel = "VERSION", description = "OpenFlow10 (the default, as "
            + "ovs-ofctl), OpenFlow13, OpenFlow14 or OpenFlow15.")
    String protocol = "OpenFlow10";

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECS", description = "Give up after SECS seconds (default: "
            + "${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Option(names = "--no-stats", description = "dump-flows: leave out the statistics.")
    boolean noStats;

    @Option(names = "--no-names", description = "Accepted for ovs-ofctl compatibility: names are never looked up.")
    boolean noNames;

    @Parameters(index = "0", paramLabel = "COMMAND")
    String command;

    @Parameters(index = "1", paramLabel = "SWITCH")
    String target;

    @Parameters(index = "2..*", paramLabel = "ARG")
    List<String> args = new ArrayList<>();

    private final PrintStream out;

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
        OfctlFlows.FlowModBatch batch = null;
        try {
            switch (command) {
                case "add-flow" -> batch = OfctlFlows.parseFlowMod(arg(0, "FLOW"), version, FlowMod.OFPFC_ADD);
                case "add-flows" -> {
                    String file = arg(0, "FILE");
                    try (Reader r = file.equals("-") ? new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)
                            : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                        batch = OfctlFlows.parseFlowFile(r, file, version, FlowMod.OFPFC_ADD);
                    }
                }
                case "del-flows" -> batch = OfctlFlows.parseFlowMod(args.isEmpty() ? "" : args.get(0), version,
                        FlowMod.OFPFC_DELETE);
                case "dump-flows" -> {
                    if (!args.isEmpty()) {
                        throw new IllegalArgumentException("dump-flows with a flow argument is not supported yet");
                    }
                }
                default -> throw new IllegalArgumentException("unknown command '" + command + "'; use --help for help");
            }
        } catch (OfctlParseException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        try (Connection c = Connection.open(target, version, timeoutSeconds)) {
            if (batch == null) {
                out.print(dumpFlows(c, version));
                return 0;
            }
            for (byte[] p : batch.preamble()) {
                c.transact(p);
            }
            for (OfctlFlows.ParsedFlowMod fm : batch.flowMods()) {
                c.transact(fm.bytes());
            }
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

    private String dumpFlows(Connection c, int version) throws IOException, OpenFlowException {
        int xid = c.nextXid();
        c.send(flowStatsRequestAll(version, xid));
        List<ByteBuf> replies = new ArrayList<>();
        try {
            while (true) {
                byte[] m = c.read();
                int type = m[1] & 0xff;
                if (type == 1) {
                    throw new IllegalStateException(errorText(m));
                }
                if (xid(m) != xid) {
                    continue;
                }
                replies.add(Unpooled.wrappedBuffer(m));
                int flags = ((m[10] & 0xff) << 8) | (m[11] & 0xff);
                if ((flags & FlowStats.REPLY_MORE) == 0) {
                    break;
                }
            }
            FlowPrinter.Options o = noStats ? FlowPrinter.Options.DEFAULT.noStats() : FlowPrinter.Options.DEFAULT;
            return FlowPrinter.dumpFlows(replies, o);
        } finally {
            replies.forEach(ByteBuf::release);
        }
    }

    /**
     * The request {@code ovs-ofctl dump-flows} sends without a flow: OpenFlow 1.3+ MULTIPART_REQUEST FLOW (table
     * ALL, out_port and out_group ANY, empty OXM match); OpenFlow 1.0 NXST_FLOW (out_port NONE, table ALL, no match).
     */
    static byte[] flowStatsRequestAll(int version, int xid) {
        ByteBuf b = Unpooled.buffer(56);
        if (version == OfVersion.OF10) {
            b.writeByte(version).writeByte(FlowStats.OFPT10_STATS_REQUEST).writeShort(32).writeInt(xid);
            b.writeShort(FlowStats.OFPST_VENDOR).writeShort(0).writeInt(0x2320).writeInt(0).writeZero(4);
            b.writeShort(0xffff).writeShort(0).writeByte(0xff).writeZero(3);
        } else {
            b.writeByte(version).writeByte(FlowStats.OFPT13_MULTIPART_REQUEST).writeShort(56).writeInt(xid);
            b.writeShort(FlowStats.OFPST_FLOW).writeShort(0).writeZero(4);
            b.writeByte(0xff).writeZero(3).writeInt(0xffffffff).writeInt(0xffffffff).writeZero(4);
            b.writeLong(0).writeLong(0);
            b.writeShort(1).writeShort(4).writeZero(4);
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
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
        private int xid = 1;

        private Connection(java.io.Closeable channel, InputStream in, OutputStream out, int version) {
            this.channel = channel;
            this.in = new DataInputStream(in);
            this.out = out;
            this.version = version;
        }

        static Connection open(String target, int version, int timeoutSeconds) throws IOException {
            Connection c;
            if (target.startsWith("unix:")) {
                // A unix socket channel has no read timeout: -t applies to TCP targets only.
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(target.substring(5)));
                c = new Connection(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch), version);
            } else {
                Target t = Target.parse(target);
                if (t.kind() != Target.Scheme.TCP) {
                    throw new IllegalArgumentException(target + ": not an active target (tcp:IP[:PORT], unix:PATH)");
                }
                Socket sock = new Socket();
                sock.connect(new InetSocketAddress(t.host(), t.port()), timeoutSeconds * 1000);
                sock.setSoTimeout(timeoutSeconds * 1000);
                sock.setTcpNoDelay(true);
                c = new Connection(sock, sock.getInputStream(), sock.getOutputStream(), version);
            }
            // ovs-ofctl's HELLO: the version in the header and a bitmap element with only that version.
            c.send(new byte[] {(byte) version, 0, 0, 16, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 0, (byte) (1 << version)});
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
            return ++xid;
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
