package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.ofswitch.channel.ChannelManager;
import dev.ofswitch.ofswitch.channel.MessageType;
import dev.ofswitch.ofswitch.channel.OfConnection;
import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.codec.ErrorMessages;
import dev.ofswitch.ofswitch.codec.Hex;
import dev.ofswitch.ofswitch.pipeline.GroupTable;
import dev.ofswitch.ofswitch.table.FlowEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Coverage-guided fuzzing of everything an OpenFlow peer can reach: the frame decoder, the connection handler
 * (HELLO negotiation, echo, version check) and the switch's request handling behind it (flow-mod, NX and action
 * codecs, flow and group tables, packet-out through the pipeline, multipart, session messages), through the same
 * handlers a TCP connection gets ({@link ChannelManager#addHandlers}) on an {@link EmbeddedChannel}, with a fresh
 * switch per input.
 *
 * <h2>Input</h2> The bytes are the stream a controller sends, one message after another by the length in each
 * header. The harness keeps the stream framed (a length below 8 or past the end is set to what is there, since
 * losing the framing closes the connection by design, see {@code MalformedInputTest}) and numbers the xids so each
 * answer can be matched with its request; everything else, versions and types included, is the fuzzer's. If the
 * first message is a HELLO it is the handshake; otherwise the harness says HELLO in the first message's version.
 *
 * <h2>Invariants, checked after every message</h2>
 * <ul>
 * <li>no exception escapes: the connection is still open and no request ended in an internal error;</li>
 * <li>every message out is well framed, and carries the request's xid (asynchronous messages: 0);</li>
 * <li>a refused message gets exactly one OFPT_ERROR, with its xid, its version (1.0 if OpenFlow has no such version)
 * and its bytes as data, nothing else, and leaves the flow and group tables as they were;</li>
 * <li>a request that wants an answer (echo, features, config, barrier, multipart, role, async) gets one, and a
 * message only switches send (replies, asynchronous messages, HELLO after the handshake) is refused;</li>
 * <li>one message adds at most one flow and one group, so memory grows no faster than the input;</li>
 * </ul>
 * and at the end the connection still answers an ECHO_REQUEST and a BARRIER_REQUEST.
 *
 * <p>{@code mvn test} replays the inputs under {@code src/test/resources/dev/ofswitch/ofswitch/
 * OpenFlowSessionFuzzTestInputs/} (ovs-ofctl 3.1's messages, the requests asked of a real OVS, and every input that
 * once failed); {@code bin/fuzz OpenFlowSessionFuzzTest} fuzzes.
 */
class OpenFlowSessionFuzzTest {
    private static final int HELLO = 0;
    private static final int ERROR = 1;
    private static final int ECHO_REQUEST = 2;
    private static final int ECHO_REPLY = 3;
    /** The harness's xids: message {@code i} of the input gets {@code XID_BASE + i}. */
    private static final int XID_BASE = 0x5eed0000;

    /** Types a controller may not send: the switch's own replies and asynchronous messages. */
    private static final Set<MessageType> SWITCH_TO_CONTROLLER = EnumSet.of(MessageType.ERROR,
            MessageType.FEATURES_REPLY, MessageType.GET_CONFIG_REPLY, MessageType.PACKET_IN, MessageType.FLOW_REMOVED,
            MessageType.PORT_STATUS, MessageType.MULTIPART_REPLY, MessageType.BARRIER_REPLY,
            MessageType.QUEUE_GET_CONFIG_REPLY, MessageType.ROLE_REPLY, MessageType.GET_ASYNC_REPLY,
            MessageType.ROLE_STATUS, MessageType.TABLE_STATUS, MessageType.CONTROLLER_STATUS, MessageType.UNKNOWN);

    /** Requests the switch must answer, with a reply or an error. */
    private static final Set<MessageType> WANTS_ANSWER = EnumSet.of(MessageType.ECHO_REQUEST,
            MessageType.FEATURES_REQUEST, MessageType.GET_CONFIG_REQUEST, MessageType.BARRIER_REQUEST,
            MessageType.MULTIPART_REQUEST, MessageType.ROLE_REQUEST, MessageType.GET_ASYNC_REQUEST);

    /** Types that may go out with xid 0: asynchronous messages. */
    private static final Set<MessageType> ASYNC = EnumSet.of(MessageType.PACKET_IN, MessageType.FLOW_REMOVED,
            MessageType.PORT_STATUS, MessageType.EXPERIMENTER, MessageType.ROLE_STATUS);

    /** One runtime for every input (a switch per input is cheap on it; threads are not). */
    private static SwitchRuntime runtime;

    private static synchronized SwitchRuntime runtime() {
        if (runtime == null) {
            runtime = SwitchRuntime.shared(1, 1);
        }
        return runtime;
    }

    @FuzzTest(maxDuration = "10m")
    void session_everyBadMessageIsRefusedAndTheConnectionLives(byte[] data) {
        List<byte[]> messages = frame(data);
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(4).clock(ControllableClock.manual(0))
                .passiveProbeIntervalMillis(0).runtime(runtime()))) {
            sw.start();
            Session s = new Session(sw);
            try {
                s.run(messages);
            } finally {
                s.ch.finishAndReleaseAll();
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a switch without listeners failed to start", e);
        }
    }

    /**
     * Cuts {@code data} into messages by their header lengths, fixing a length below 8 or past the end to what is
     * there (a tail shorter than a header is dropped), and numbers the xids.
     */
    static List<byte[]> frame(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (data.length - p >= 8) {
            int len = ((data[p + 2] & 0xff) << 8) | (data[p + 3] & 0xff);
            if (len < 8 || len > data.length - p) {
                len = data.length - p;
            }
            len = Math.min(len, 0xffff);
            byte[] m = Arrays.copyOfRange(data, p, p + len);
            m[2] = (byte) (len >>> 8);
            m[3] = (byte) len;
            int xid = XID_BASE + out.size();
            m[4] = (byte) (xid >>> 24);
            m[5] = (byte) (xid >>> 16);
            m[6] = (byte) (xid >>> 8);
            m[7] = (byte) xid;
            out.add(m);
            p += len;
        }
        return out;
    }

    /** One connection to a fresh switch. */
    private static final class Session {
        final OfSwitch sw;
        final ControlAgent agent;
        final EmbeddedChannel ch;

        Session(OfSwitch sw) {
            this.sw = sw;
            this.agent = sw.agent();
            this.ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel c) {
                    ChannelManager.addHandlers(c, agent, sw.config().versions, OfConnection.Kind.PASSIVE, 0);
                }
            });
        }

        void run(List<byte[]> messages) {
            List<byte[]> ours = drain();
            assertEquals(1, ours.size(), "the switch says HELLO first");
            assertEquals(HELLO, ours.get(0)[1]);
            int first = 0;
            byte[] hello;
            if (!messages.isEmpty() && messages.get(0)[1] == HELLO) {
                hello = messages.get(0);
                first = 1;
            } else {
                int v = messages.isEmpty() ? OfVersion.OF13 : messages.get(0)[0] & 0xff;
                hello = OfClient.header(supported(v) ? v : OfVersion.OF13, HELLO, 8, XID_BASE - 1);
            }
            List<byte[]> answer = send(hello);
            if (!ch.isOpen()) {
                // Negotiation failed: OFPET_HELLO_FAILED, then the switch hung up, as OVS does.
                assertEquals(1, answer.size(), "one HELLO_FAILED before closing");
                assertEquals(ERROR, answer.get(0)[1]);
                assertEquals(0, u16(answer.get(0), 8), "OFPET_HELLO_FAILED");
                return;
            }
            assertEquals(List.of(), hex(answer), "a HELLO is not answered");
            List<OfConnection> conns = agent.connections();
            assertEquals(1, conns.size(), "the handshake reached the switch");
            int version = conns.get(0).version();
            for (int i = first; i < messages.size(); i++) {
                check(messages.get(i), version);
            }
            stillServes(version);
        }

        /** Sends one message and checks what came of it. */
        private void check(byte[] request, int negotiated) {
            List<FlowSnapshot> flowsBefore = flows();
            List<GroupSnapshot> groupsBefore = groups();
            List<byte[]> out = send(request);
            String what = "after " + Hex.encode(request);
            assertTrue(ch.isOpen(), () -> "the connection is still open " + what);
            assertEquals(0, agent.internalErrors(), () -> "no internal error " + what);

            int xid = u32(request, 4);
            int version = request[0] & 0xff;
            MessageType type = MessageType.of(negotiated, request[1] & 0xff);
            byte[] error = null;
            int answers = 0;
            for (byte[] m : out) {
                assertTrue(m.length >= 8 && u16(m, 2) == m.length, () -> "well framed: " + Hex.encode(m) + " " + what);
                int mxid = u32(m, 4);
                if (mxid == xid) {
                    answers++;
                    if (m[1] == ERROR) {
                        assertEquals(null, error == null ? null : Hex.encode(error), "one error " + what);
                        error = m;
                    }
                } else {
                    MessageType mt = MessageType.of(negotiated, m[1] & 0xff);
                    assertTrue(mxid == 0 && ASYNC.contains(mt),
                            () -> "the request's xid, or an asynchronous message: " + Hex.encode(m) + " " + what);
                }
            }
            if (error != null) {
                assertEquals(1, answers, () -> "nothing but the error " + what);
                int expectedVersion = version >= 1 && version <= 6 ? version : OfVersion.OF10;
                assertEquals(expectedVersion, error[0] & 0xff, () -> "the error's version " + what);
                byte[] echoed = Arrays.copyOfRange(error, errorDataOffset(error), error.length);
                byte[] expected = Arrays.copyOf(request, Math.min(request.length, ErrorMessages.MAX_ECHO_BYTES));
                assertArrayEquals(expected, echoed, () -> "the error echoes the request " + what);
                assertEquals(flowsBefore, flows(), () -> "a refused message leaves the flows alone " + what);
                assertEquals(groupsBefore, groups(), () -> "a refused message leaves the groups alone " + what);
            } else {
                boolean otherVersion = version != negotiated && (request[1] & 0xff) > ECHO_REPLY;
                if (otherVersion || (version == negotiated && SWITCH_TO_CONTROLLER.contains(type))
                        || request[1] == HELLO) {
                    fail("refused with an error: " + type + " " + what + ", got " + hex(out));
                }
            }
            if (version == negotiated && WANTS_ANSWER.contains(type) || request[1] == ECHO_REQUEST) {
                assertTrue(answers > 0, () -> "a " + type + " is answered " + what);
            }
            assertTrue(flows().size() <= flowsBefore.size() + 1, () -> "at most one flow more " + what);
            assertTrue(groups().size() <= groupsBefore.size() + 1, () -> "at most one group more " + what);
        }

        /** The connection still answers an echo (in kind) and a barrier. */
        private void stillServes(int version) {
            byte[] echo = OfClient.concat(OfClient.header(version, ECHO_REQUEST, 12, 0xec40ec40),
                    new byte[] {'f', 'u', 'z', 'z'});
            List<byte[]> out = send(echo);
            byte[] reply = echo.clone();
            reply[1] = ECHO_REPLY;
            assertEquals(List.of(Hex.encode(reply)), hex(out), "the echo is answered");
            int barrier = MessageType.BARRIER_REQUEST.code(version);
            out = send(OfClient.header(version, barrier, 8, 0xba771e55));
            assertEquals(1, out.size(), "the barrier is answered: " + hex(out));
            assertEquals(MessageType.BARRIER_REPLY.code(version), out.get(0)[1]);
            assertEquals(0xba771e55, u32(out.get(0), 4));
        }

        /** Writes {@code m}, lets the control thread finish with it, and returns what the switch sent. */
        private List<byte[]> send(byte[] m) {
            ch.writeInbound(Unpooled.wrappedBuffer(m));
            return drain();
        }

        private List<byte[]> drain() {
            awaitControl(agent);
            ch.runPendingTasks();
            List<byte[]> out = new ArrayList<>();
            for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                out.add(bytes);
            }
            return out;
        }

        List<FlowSnapshot> flows() {
            List<FlowSnapshot> out = new ArrayList<>();
            for (FlowEntry e : sw.flowTables().all()) {
                out.add(new FlowSnapshot(e, e.instructions(), e.cookie(), e.idleTimeout(), e.hardTimeout(), e.flags(),
                        e.importance()));
            }
            return out;
        }

        List<GroupSnapshot> groups() {
            List<GroupSnapshot> out = new ArrayList<>();
            sw.groups().all().forEach((id, g) -> out.add(new GroupSnapshot(g, g.type(), g.buckets())));
            return out;
        }
    }

    /** Waits for the control thread (a JUnit {@code @Timeout} would bound a whole fuzzing run, not one input). */
    private static final ExecutorService WAITER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-waiter");
        t.setDaemon(true);
        return t;
    });

    /** Returns once the control thread has done everything queued so far; fails if it takes over 10 seconds. */
    static void awaitControl(ControlAgent agent) {
        Future<?> done = WAITER.submit(() -> agent.runOnControl(() -> { }));
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            StringBuilder stacks = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, frames) -> {
                if (t.getName().contains("control")) {
                    stacks.append('\n').append(t.getName());
                    for (StackTraceElement f : frames) {
                        stacks.append("\n    at ").append(f);
                    }
                }
            });
            fail("the control thread is stuck:" + stacks);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A flow as a refused message must leave it: the same entry (by identity) with the same mutable fields. */
    record FlowSnapshot(FlowEntry entry, Object instructions, long cookie, int idle, int hard, int flags,
                        int importance) {
    }

    /** A group as a refused message must leave it. */
    record GroupSnapshot(GroupTable.Group group, int type, List<GroupTable.Bucket> buckets) {
    }

    private static boolean supported(int version) {
        return version < 32 && (OfVersion.SUPPORTED & (1 << version)) != 0;
    }

    /** Where an OFPT_ERROR's data starts (see {@link ErrorMessages}). */
    private static int errorDataOffset(byte[] error) {
        int type = u16(error, 8);
        int version = error[0] & 0xff;
        if (type == ErrorMessages.NXET_VENDOR && u16(error, 10) == 0 && version <= 2) {
            return 20;
        }
        if (type == ErrorMessages.OFPET12_EXPERIMENTER && version >= 3) {
            return 16;
        }
        return 12;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int u32(byte[] b, int at) {
        return (u16(b, at) << 16) | u16(b, at + 2);
    }

    private static List<String> hex(List<byte[]> messages) {
        return messages.stream().map(Hex::encode).toList();
    }
}
