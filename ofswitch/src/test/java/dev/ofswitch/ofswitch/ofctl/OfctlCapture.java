package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.Tools;
import dev.ofswitch.ofswitch.codec.OfVersion;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A listening OpenFlow "switch" that records what {@code ovs-ofctl --no-names add-flows} sends, answering only what
 * ovs-ofctl waits for: HELLO (it offers 1.0, 1.3, 1.4 and 1.5, so ovs-ofctl's {@code -O} decides), ECHO and BARRIER.
 * Everything else (FLOW_MOD, NXT_FLOW_MOD, NXT_SET_FLOW_FORMAT, NXT_FLOW_MOD_TABLE_ID) is recorded without a reply,
 * which ovs-ofctl takes as success. Like {@code /work/shared/oracle/of13-mock-switch}, but keeping whole messages and
 * speaking every version the parser supports.
 *
 * <p>Use: {@code try (OfctlCapture c = OfctlCapture.start()) { OfctlCapture.Run r = c.addFlows(OfVersion.OF13,
 * flowsFile); }}. One run at a time per capture.
 */
final class OfctlCapture implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    private OfctlCapture(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "ofctl-capture");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Listens on an ephemeral port of 127.0.0.1. */
    static OfctlCapture start() throws IOException {
        return new OfctlCapture(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
    }

    /** ovs-ofctl's target string for this capture. */
    String target() {
        return "tcp:127.0.0.1:" + server.getLocalPort();
    }

    /** What one ovs-ofctl run produced: its exit, stderr's "ovs-ofctl:" line, and the messages it sent. */
    record Run(int exitCode, String error, List<byte[]> preamble, List<byte[]> flowMods) {
    }

    /**
     * Runs {@code ovs-ofctl -O VERSION --no-names add-flows TARGET FILE} (for OpenFlow 1.0 without {@code -O}, as
     * ovs-ofctl's default) and splits what it sent into the protocol preamble and the flow mods.
     */
    Run addFlows(int version, Path file) {
        return run(version, "add-flows", file.toString());
    }

    /** {@code ovs-ofctl [-O VERSION] --no-names}, OpenFlow 1.0 without {@code -O} (ovs-ofctl's default). */
    private static List<String> ofctlNoNames(int version) {
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl"));
        if (version != OfVersion.OF10) {
            cmd.add("-O");
            cmd.add("OpenFlow1" + (version - 1));
        }
        cmd.add("--no-names");
        return cmd;
    }

    /** Runs one {@code add-flow}/{@code mod-flows}/{@code del-flows} style command with one flow argument. */
    Run run(int version, String command, String arg) {
        messages.clear();
        List<String> cmd = ofctlNoNames(version);
        if (command.startsWith("--strict ")) {
            cmd.add("--strict");
            command = command.substring("--strict ".length());
        }
        cmd.add(command);
        cmd.add(target());
        cmd.add(arg);
        Tools.Result r = Tools.run(120, cmd);
        String error = lastError(r.stderr());
        List<byte[]> preamble = new ArrayList<>();
        List<byte[]> mods = new ArrayList<>();
        synchronized (messages) {
            for (byte[] m : messages) {
                int type = m[1] & 0xff;
                boolean nicira = type == 4 && m.length >= 16 && (m[8] | m[9]) == 0 && m[10] == 0x23 && m[11] == 0x20;
                int subtype = nicira ? ((m[12] & 0xff) << 24 | (m[13] & 0xff) << 16 | (m[14] & 0xff) << 8
                        | (m[15] & 0xff)) : -1;
                if (type == 14 || subtype == 13) {
                    mods.add(m);
                } else if (subtype == 12 || subtype == 15) {
                    preamble.add(m);
                }
            }
        }
        return new Run(r.exitCode(), error, preamble, mods);
    }

    /**
     * Runs {@code ovs-ofctl [-O VERSION] --no-names ARGV...} (ARGV from the command on, the target inserted after
     * it) and returns every message it sent besides HELLO, ECHO and BARRIER, in order (their xids as sent).
     */
    Run runArgs(int version, List<String> argv) {
        messages.clear();
        List<String> cmd = ofctlNoNames(version);
        cmd.add(argv.get(0));
        cmd.add(target());
        cmd.addAll(argv.subList(1, argv.size()));
        Tools.Result r = Tools.run(120, cmd);
        String error = lastError(r.stderr());
        synchronized (messages) {
            return new Run(r.exitCode(), error, List.of(), List.copyOf(messages));
        }
    }

    /** The last {@code ovs-ofctl: ...} complaint in {@code stderr}, without the prefix; null if none. */
    private static String lastError(String stderr) {
        String error = null;
        for (String line : stderr.split("\n")) {
            if (line.startsWith("ovs-ofctl: ")) {
                error = line.substring("ovs-ofctl: ".length());
            }
        }
        return error;
    }

    /** Writes {@code lines} to a temporary file for add-flows. */
    static Path flowFile(Path dir, String name, List<String> lines) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        return p;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "ofctl-capture-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            // HELLO 1.5 with a version bitmap of 1.0, 1.3, 1.4, 1.5.
            out.write(new byte[] {6, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 0x72});
            out.flush();
            while (true) {
                byte[] head = new byte[8];
                in.readFully(head);
                int len = (head[2] & 0xff) << 8 | (head[3] & 0xff);
                byte[] m = new byte[len];
                System.arraycopy(head, 0, m, 0, 8);
                in.readFully(m, 8, len - 8);
                int version = m[0];
                int type = m[1] & 0xff;
                if (type == 0) {
                    continue;
                }
                if (type == 2) {
                    out.write(reply(m, 3));
                } else if ((version == OfVersion.OF10 && type == 18) || (version != OfVersion.OF10 && type == 20)) {
                    out.write(reply(m, type + 1));
                } else if ((version == OfVersion.OF10 && type == 16) || (version != OfVersion.OF10 && type == 18)) {
                    // A stats request: answer with an empty reply of the same kind (its stats header kept).
                    messages.add(m);
                    out.write(emptyStatsReply(m));
                } else {
                    messages.add(m);
                }
                out.flush();
            }
        } catch (IOException e) {
            // ovs-ofctl closed the connection.
        }
    }

    /**
     * An empty stats reply to {@code request}: the OpenFlow 1.0 stats header (with the Nicira vendor header for a
     * vendor request) or the 1.1+ multipart header, nothing after it.
     */
    private static byte[] emptyStatsReply(byte[] request) {
        int len;
        if (request[0] == OfVersion.OF10) {
            len = (request[8] & 0xff) == 0xff && (request[9] & 0xff) == 0xff ? 24 : 12;
        } else {
            len = 16;
        }
        byte[] r = java.util.Arrays.copyOf(request, len);
        r[1] = (byte) (request[1] + 1);
        r[2] = 0;
        r[3] = (byte) len;
        r[10] = 0;
        r[11] = 0;
        return r;
    }

    /** The request with its type changed and its body kept (ECHO_REPLY, BARRIER_REPLY). */
    private static byte[] reply(byte[] request, int type) {
        byte[] r = request.clone();
        r[1] = (byte) type;
        return r;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
