package dev.ofswitch.ofswitch;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/**
 * A small blocking OpenFlow client for tests: it speaks raw bytes over TCP, so it can send anything (truncated,
 * mis-versioned, unknown), and reads whole framed messages back. A read waits at most {@link #TIMEOUT_MILLIS} (a
 * deadline, not a sleep): a switch that does not answer fails the test instead of hanging it.
 */
final class OfClient implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 5000;
    static final int OF10 = 1;
    static final int OF13 = 4;

    static final int HELLO = 0;
    static final int ERROR = 1;
    static final int ECHO_REQUEST = 2;
    static final int ECHO_REPLY = 3;
    static final int EXPERIMENTER = 4;
    /** OF1.3 type numbers. */
    static final int GET_CONFIG_REQUEST = 7;
    static final int GET_CONFIG_REPLY = 8;
    static final int SET_CONFIG = 9;
    static final int PACKET_IN = 10;
    static final int PACKET_OUT = 13;
    static final int FLOW_MOD = 14;
    static final int MULTIPART_REQUEST = 18;
    static final int MULTIPART_REPLY = 19;
    static final int BARRIER_REQUEST = 20;
    static final int BARRIER_REPLY = 21;
    static final int ROLE_REQUEST = 24;
    static final int ROLE_REPLY = 25;
    static final int GET_ASYNC_REQUEST = 26;
    static final int GET_ASYNC_REPLY = 27;
    static final int SET_ASYNC = 28;

    /** One framed message as received. */
    record Msg(byte[] bytes) {
        int version() {
            return bytes[0] & 0xff;
        }

        int type() {
            return bytes[1] & 0xff;
        }

        int length() {
            return bytes.length;
        }

        int xid() {
            return ByteBuffer.wrap(bytes).getInt(4);
        }

        int u8(int offset) {
            return bytes[offset] & 0xff;
        }

        int u16(int offset) {
            return ByteBuffer.wrap(bytes).getShort(offset) & 0xffff;
        }

        long u32(int offset) {
            return ByteBuffer.wrap(bytes).getInt(offset) & 0xffffffffL;
        }

        long u64(int offset) {
            return ByteBuffer.wrap(bytes).getLong(offset);
        }

        /** For an OFPT_ERROR: "type,code". */
        String error() {
            if (type() != ERROR) {
                throw new AssertionError("not an OFPT_ERROR: " + this);
            }
            return u16(8) + "," + u16(10);
        }

        /** The bytes from {@code offset} on. */
        byte[] from(int offset) {
            byte[] out = new byte[bytes.length - offset];
            System.arraycopy(bytes, offset, out, 0, out.length);
            return out;
        }

        String hex() {
            return HexFormat.of().formatHex(bytes);
        }

        @Override
        public String toString() {
            return "Msg{v" + version() + " type " + type() + " len " + length() + " xid " + Integer.toHexString(xid())
                    + " " + (bytes.length > 48 ? hex().substring(0, 96) + "..." : hex()) + "}";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int version;
    private int nextXid = 0x1000;

    private OfClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Speaks over {@code socket}: one the test connected (possibly with TLS) or one a test controller accepted. */
    private OfClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
    }

    /** Connects without saying anything. */
    static OfClient raw(int port) throws IOException {
        return new OfClient(port);
    }

    /** Connects and negotiates {@code version} (HELLO with a bitmap of just that version). */
    static OfClient connect(int port, int version) throws IOException {
        return handshake(new OfClient(port), version);
    }

    /**
     * Negotiates {@code version} over an open socket (a controller's accepted connection, a TLS socket): HELLO with a
     * bitmap of just that version, then the peer's HELLO.
     */
    static OfClient over(Socket socket, int version) throws IOException {
        return handshake(new OfClient(socket), version);
    }

    /** Wraps an open socket without saying anything. */
    static OfClient rawOver(Socket socket) throws IOException {
        return new OfClient(socket);
    }

    private static OfClient handshake(OfClient c, int version) throws IOException {
        c.send(hello(version, 1 << version));
        Msg hello = c.read();
        if (hello.type() != HELLO) {
            throw new AssertionError("expected HELLO, got " + hello);
        }
        c.version = version;
        return c;
    }

    int version() {
        return version;
    }

    int xid() {
        return nextXid++;
    }

    void send(byte[]... messages) throws IOException {
        for (byte[] m : messages) {
            out.write(m);
        }
        out.flush();
    }

    /** Reads the next message, waiting at most {@link #TIMEOUT_MILLIS}. */
    Msg read() throws IOException {
        byte[] header = new byte[8];
        try {
            in.readFully(header);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no message from the switch within " + TIMEOUT_MILLIS + " ms");
        }
        int len = ByteBuffer.wrap(header).getShort(2) & 0xffff;
        if (len < 8) {
            throw new AssertionError("switch sent a message of length " + len);
        }
        byte[] all = new byte[len];
        System.arraycopy(header, 0, all, 0, 8);
        in.readFully(all, 8, len - 8);
        return new Msg(all);
    }

    /** Reads until {@code stop} matches; returns everything read, the matching message last. */
    List<Msg> readUntil(Predicate<Msg> stop) throws IOException {
        List<Msg> got = new ArrayList<>();
        while (true) {
            Msg m = read();
            got.add(m);
            if (stop.test(m)) {
                return got;
            }
        }
    }

    /**
     * Sends a barrier and returns what arrived before its reply, in order. Everything the switch owed for earlier
     * requests on this connection (replies, errors) comes before a barrier reply.
     */
    List<Msg> barrier() throws IOException {
        int xid = xid();
        send(header(version, version == OF10 ? 18 : BARRIER_REQUEST, 8, xid));
        List<Msg> got = readUntil(m -> m.xid() == xid && m.type() == (version == OF10 ? 19 : BARRIER_REPLY));
        return got.subList(0, got.size() - 1);
    }

    /** Sends an echo request with a payload and checks the reply echoes it; returns what arrived before it. */
    List<Msg> echo() throws IOException {
        int xid = xid();
        byte[] req = concat(header(version, ECHO_REQUEST, 12, xid), new byte[] {1, 2, 3, 4});
        send(req);
        List<Msg> got = readUntil(m -> m.xid() == xid && m.type() == ECHO_REPLY);
        Msg reply = got.get(got.size() - 1);
        byte[] expected = req.clone();
        expected[1] = ECHO_REPLY;
        if (!HexFormat.of().formatHex(expected).equals(reply.hex())) {
            throw new AssertionError("echo reply " + reply + " does not echo " + HexFormat.of().formatHex(req));
        }
        return got.subList(0, got.size() - 1);
    }

    /** Sends {@code request} (with xid {@code xid}) and returns the one reply with that xid, after a barrier. */
    Msg request(byte[] request) throws IOException {
        int xid = ByteBuffer.wrap(request).getInt(4);
        send(request);
        List<Msg> got = barrier();
        List<Msg> mine = got.stream().filter(m -> m.xid() == xid).toList();
        if (mine.size() != 1) {
            throw new AssertionError("expected one reply with xid " + Integer.toHexString(xid) + ", got " + got);
        }
        return mine.get(0);
    }

    /** True if the switch closes the connection (EOF or reset) before {@link #TIMEOUT_MILLIS}; messages it sends
     * first are skipped. */
    boolean closedByPeer() throws IOException {
        try {
            messagesUntilClosed();
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** The messages the switch sends before it closes the connection (fails if it does not within the timeout). */
    List<Msg> messagesUntilClosed() throws IOException {
        List<Msg> got = new ArrayList<>();
        try {
            while (true) {
                got.add(read());
            }
        } catch (EOFException | SocketException e) {
            return got;
        }
    }

    /** The socket (to stop reading, to close it abruptly). */
    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ------------------------------------------------------------------------------------------ message builders

    static byte[] header(int version, int type, int length, int xid) {
        return ByteBuffer.allocate(8).put((byte) version).put((byte) type).putShort((short) length).putInt(xid)
                .array();
    }

    /** HELLO with one version-bitmap element. */
    static byte[] hello(int version, int bitmap) {
        return ByteBuffer.allocate(16).put((byte) version).put((byte) HELLO).putShort((short) 16).putInt(1)
                .putShort((short) 1).putShort((short) 8).putInt(bitmap).array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /** Sets the length field of a built message to its size. */
    static byte[] withLength(byte[] msg) {
        ByteBuffer.wrap(msg).putShort(2, (short) msg.length);
        return msg;
    }

    /**
     * An OF1.3 FLOW_MOD: {@code oxms} is the body of an OXM match (padded here), {@code instructions} the raw
     * instruction list.
     */
    static byte[] flowMod13(int xid, int table, int command, int priority, byte[] oxms, byte[] instructions) {
        int matchLen = 4 + oxms.length;
        int padded = (matchLen + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + 40 + padded + instructions.length);
        b.put(header(OF13, FLOW_MOD, 0, xid));
        b.putLong(0).putLong(0).put((byte) table).put((byte) command).putShort((short) 0).putShort((short) 0)
                .putShort((short) priority).putInt(-1).putInt(-1).putInt(-1).putShort((short) 0).putShort((short) 0);
        b.putShort((short) 1).putShort((short) matchLen).put(oxms).put(new byte[padded - matchLen]);
        b.put(instructions);
        return withLength(b.array());
    }

    /** OFPIT_APPLY_ACTIONS with {@code actions}. */
    static byte[] applyActions(byte[] actions) {
        return concat(ByteBuffer.allocate(8).putShort((short) 4).putShort((short) (8 + actions.length)).putInt(0)
                .array(), actions);
    }

    /** OF1.3 OFPAT_OUTPUT to {@code port}, max_len 0xffff. */
    static byte[] output13(int port) {
        return ByteBuffer.allocate(16).putShort((short) 0).putShort((short) 16).putInt(port).putShort((short) -1)
                .put(new byte[6]).array();
    }

    /** An OF1.3 PACKET_OUT, unbuffered. */
    static byte[] packetOut13(int xid, int inPort, byte[] actions, byte[] frame) {
        ByteBuffer b = ByteBuffer.allocate(24 + actions.length + frame.length);
        b.put(header(OF13, PACKET_OUT, 0, xid)).putInt(-1).putInt(inPort).putShort((short) actions.length)
                .put(new byte[6]).put(actions).put(frame);
        return withLength(b.array());
    }

    /** OF1.3 SET_CONFIG. */
    static byte[] setConfig(int version, int xid, int flags, int missSendLen) {
        return ByteBuffer.allocate(12).put(header(version, SET_CONFIG, 12, xid)).putShort((short) flags)
                .putShort((short) missSendLen).array();
    }

    /** OF1.3 ROLE_REQUEST (role: 0 nochange, 1 equal, 2 master, 3 slave). */
    static byte[] roleRequest(int xid, int role, long generationId) {
        return ByteBuffer.allocate(24).put(header(OF13, ROLE_REQUEST, 24, xid)).putInt(role).putInt(0)
                .putLong(generationId).array();
    }
}
