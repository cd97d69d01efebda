package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.OF13;
import static dev.ofswitch.ofswitch.OfClient.applyActions;
import static dev.ofswitch.ofswitch.OfClient.flowMod13;
import static dev.ofswitch.ofswitch.OfClient.hex;
import static dev.ofswitch.ofswitch.OfClient.output13;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.ofswitch.channel.ControllerStatus;
import dev.ofswitch.ofswitch.table.FlowEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults of the controller connection, through real sockets, with time from a manual switch clock: the test moves
 * it and calls {@link OfSwitch#runTimers()} (what {@code ovs-appctl time/warp} does), so every deadline is exact and
 * nothing sleeps. Each expectation is OVS 3.1's (lib/rconn.c, ofproto/fail-open.c; fail-open, the hidden flow, the
 * flush and the recovery were watched on ovs-vswitchd with {@code time/warp}).
 */
class ControllerFaultsTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    /** A UDP frame 10.0.0.1 -> 10.0.0.2 from 50:54:00:00:00:01 to 50:54:00:00:00:02. */
    private static final byte[] FRAME = hex(OvsOfctlOf13Test.UDP);
    /** OXM in_port=1 / in_port=3. */
    private static final byte[] IN_PORT_1 = hex("8000000400000001");
    private static final byte[] IN_PORT_3 = hex("8000000400000003");

    private final List<AutoCloseable> open = new ArrayList<>();
    private ControllableClock clock;
    private OfSwitch sw;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private OfSwitch start(SwitchConfig cfg, long clockStart) throws IOException {
        clock = ControllableClock.manual(clockStart);
        sw = new OfSwitch(cfg.clock(clock).ports(4));
        open.add(sw);
        sw.start();
        return sw;
    }

    private TestController controller(int port) throws IOException {
        TestController c = TestController.listen(port);
        open.add(c);
        return c;
    }

    /** Starts a switch (default settings, clock at 0) connected to {@code ctl}; returns the controller's side. */
    private OfClient startConnected(TestController ctl) throws IOException {
        start(SwitchConfig.defaults().controller(ctl.target()), 0);
        OfClient peer = ctl.accept(OF13);
        awaitStatus("the connection", ControllerStatus::connected);
        return peer;
    }

    private void advance(long nanos) {
        clock.advanceNanos(nanos);
        sw.runTimers();
    }

    private ControllerStatus status() {
        return sw.controllerStatus().get(0);
    }

    private ControllerStatus awaitStatus(String what, Predicate<ControllerStatus> p) {
        Tools.await(what, 5000, () -> p.test(status()));
        return status();
    }

    private static byte[] flowInPort1ToPort2(int xid) {
        return flowMod13(xid, 0, 0, 100, IN_PORT_1, applyActions(output13(2)));
    }

    private long tx(int port) {
        return sw.port(port).txPackets.sum();
    }

    // ------------------------------------------------------------------------------------------ reconnection

    /**
     * Against a dead address the attempts come 1, 2, 4, 8 and then every 8 s (OVS rconn with its default
     * max_backoff), at the switch clock's reading, whatever that reading is.
     */
    @ParameterizedTest(name = "clock starts at {0}")
    @ValueSource(longs = {0L, Long.MIN_VALUE, Long.MAX_VALUE - 10 * S})
    void reconnect_backoffDoublesToEightSeconds(long clockStart) throws IOException {
        int dead = TestController.deadPort();
        start(SwitchConfig.defaults().controller("tcp:127.0.0.1:" + dead), clockStart);
        awaitStatus("the first attempt to be refused", st -> st.attempts() == 1 && st.state().equals("BACKOFF"));
        long[] waits = {1, 2, 4, 8, 8, 8};
        for (long w : waits) {
            int before = status().attempts();
            advance(w * S - 1 * MS);
            assertEquals(before, status().attempts(), "no attempt 1 ms before the " + w + " s wait is over");
            advance(1 * MS);
            assertEquals(before + 1, status().attempts(), "an attempt when the " + w + " s wait is over");
            awaitStatus("attempt " + (before + 1) + " to be refused", st -> st.state().equals("BACKOFF"));
        }
        List<Long> at = new ArrayList<>();
        for (long t : status().attemptClockNanos()) {
            at.add((t - clockStart) / S);
        }
        assertEquals(List.of(0L, 1L, 3L, 7L, 15L, 23L, 31L), at);
        assertEquals(8000, status().backoffMillis());
        assertTrue(String.valueOf(status().lastError()).contains("refused"), status().toString());
    }

    /** A smaller max_backoff caps the doubling there. */
    @Test
    void reconnect_maxBackoffCapsTheWait() throws IOException {
        start(SwitchConfig.defaults().controller("tcp:127.0.0.1:" + TestController.deadPort())
                .maxBackoffMillis(2000), 0);
        awaitStatus("the first attempt to be refused", st -> st.attempts() == 1 && st.state().equals("BACKOFF"));
        for (long w : new long[] {1, 2, 2, 2}) {
            int before = status().attempts();
            advance(w * S);
            assertEquals(before + 1, status().attempts());
            awaitStatus("a refusal", st -> st.state().equals("BACKOFF"));
        }
        assertEquals(2000, status().backoffMillis());
    }

    /**
     * A peer that accepts TCP but never says HELLO: the attempt is abandoned after max(5 s, backoff) (OVS: 1 s; see
     * ControllerLink), and the wait grows since no connection was made.
     */
    @Test
    void reconnect_aPeerThatNeverSaysHelloTimesOut() throws IOException {
        TestController ctl = controller(0);
        start(SwitchConfig.defaults().controller(ctl.target()), 0);
        try (java.net.Socket mute = ctl.acceptSocket()) {
            awaitStatus("the TCP connection", s -> s.state().equals("HANDSHAKING"));
            advance(5 * S - 1 * MS);
            assertEquals("HANDSHAKING", status().state());
            advance(1 * MS);
            ControllerStatus st = awaitStatus("the attempt to time out", s -> s.state().equals("BACKOFF"));
            assertEquals("connection timed out", st.lastError());
            assertEquals(1000, st.backoffMillis());
            assertTrue(OfClient.rawOver(mute).closedByPeer(), "the switch hangs up on a peer without HELLO");
        }
        advance(1 * S);
        try (java.net.Socket mute = ctl.acceptSocket()) {
            awaitStatus("the second TCP connection", s -> s.state().equals("HANDSHAKING"));
            advance(5 * S);
            assertEquals(2000, awaitStatus("the second timeout", s -> s.state().equals("BACKOFF")).backoffMillis());
        }
    }

    // ------------------------------------------------------------------------------------------ inactivity probe

    /**
     * A controller that stops answering: after the probe interval (OVS's default, 5 s) of silence the switch sends an
     * ECHO_REQUEST; after another interval without an answer it hangs up, and reconnects 1 s later (the connection
     * had lived long enough to reset the backoff).
     */
    @Test
    void probe_detectsADeadPeerAndReconnects() throws IOException {
        TestController ctl = controller(0);
        OfClient peer = startConnected(ctl);

        advance(5 * S);
        OfClient.Msg probe = peer.read();
        assertEquals(OfClient.ECHO_REQUEST, probe.type(), "the inactivity probe: " + probe);
        advance(5 * S - 1 * MS);
        assertTrue(status().connected(), "still connected 1 ms before the second interval ends");
        advance(1 * MS);
        assertTrue(peer.closedByPeer(), "the switch hung up on the silent peer");
        ControllerStatus st = awaitStatus("the disconnection", s -> s.state().equals("BACKOFF"));
        assertTrue(st.lastError().contains("no response to inactivity probe"), st.lastError());
        assertEquals(1000, st.backoffMillis());

        advance(1 * S);
        OfClient again = ctl.accept(OF13);
        awaitStatus("the new connection", ControllerStatus::connected);
        assertEquals(2, status().successes());
        again.echo();
    }

    /** A controller that answers the probes stays connected however long it is otherwise quiet. */
    @Test
    void probe_answeredKeepsTheConnection() throws IOException {
        TestController ctl = controller(0);
        OfClient peer = startConnected(ctl);
        for (int i = 0; i < 4; i++) {
            advance(5 * S);
            OfClient.Msg probe = peer.read();
            assertEquals(OfClient.ECHO_REQUEST, probe.type());
            byte[] reply = probe.bytes().clone();
            reply[1] = OfClient.ECHO_REPLY;
            peer.send(reply);
            peer.echo();            // our own round trip: the reply was read before the clock moves on
            advance(4 * S);
            assertTrue(status().connected());
        }
        assertEquals(1, status().attempts());
    }

    /**
     * Accepted TCP peers (ovs-ofctl over ptcp:) are probed too. One that never says HELLO gets no ECHO_REQUEST (there is
     * no version to send it in) and is closed after two intervals, as an OVS service connection; one past HELLO that
     * goes silent gets the echo after one interval and is closed after the second.
     */
    @Test
    void probe_acceptedPeersAreProbedToo() throws IOException {
        start(SwitchConfig.defaults().listen("ptcp:0"), 0);
        try (OfClient mute = OfClient.raw(sw.boundOpenFlowPort());
             OfClient silent = OfClient.connect(sw.boundOpenFlowPort(), OF13)) {
            assertEquals(OfClient.HELLO, mute.read().type(), "the switch's HELLO");
            assertTrue(silent.echo().isEmpty(), "past HELLO");
            advance(5 * S);
            assertEquals(OfClient.ECHO_REQUEST, silent.read().type(), "the probe of the silent peer");
            advance(5 * S);
            assertTrue(silent.closedByPeer(), "the silent peer is closed after two intervals");
            assertEquals(List.of(), mute.messagesUntilClosed(), "the peer that never said HELLO: closed, no echo");
        }
    }

    // ------------------------------------------------------------------------------------------ fail modes

    /**
     * fail_mode=secure: the controller goes away, and a minute later the flows it left are still there and still
     * forward; a packet no flow matches is dropped; the switch adds nothing and keeps trying to reconnect.
     */
    @Test
    void secure_keepsForwardingByExistingFlowsAndAddsNothing() throws IOException {
        TestController ctl = controller(0);
        start(SwitchConfig.defaults().controller(ctl.target()), 0);
        OfClient c = ctl.accept(OF13);
        c.send(flowInPort1ToPort2(1));
        assertTrue(c.barrier().isEmpty(), "the flow is accepted");
        ctl.close();
        awaitStatus("the disconnection", st -> !st.connected());

        for (int i = 0; i < 6; i++) {
            advance(10 * S);
        }
        assertFalse(sw.failOpenActive());
        List<FlowEntry> flows = sw.flowTables().allIncludingHidden();
        assertEquals(1, flows.size(), "only the controller's flow: " + flows);
        assertEquals(100, flows.get(0).priority());

        long p2 = tx(2);
        sw.receiveSync(1, FRAME, FRAME.length);
        assertEquals(p2 + 1, tx(2), "in_port=1 still goes to port 2");
        long others = tx(1) + tx(2) + tx(4);
        sw.receiveSync(3, FRAME, FRAME.length);
        assertEquals(others, tx(1) + tx(2) + tx(4), "a table miss is dropped");
        assertTrue(status().attempts() > 1, "the switch keeps trying to reconnect");
    }

    /**
     * fail_mode=standalone: 3 probe intervals (15 s) after the controller was last in control, the switch flushes its
     * flows and forwards with a hidden NORMAL flow (OpenFlow sees an empty table); a controller that connects but
     * does not take control gets a bogus packet-in every 2 s; once it sends a flow-mod the hidden flow goes, and only
     * the controller's new flow is left.
     */
    @Test
    void standalone_failsOpenAfterThreeProbeIntervalsAndRecoversWhenAControllerTakesControl() throws IOException {
        TestController ctl = controller(0);
        int port = ctl.port();
        start(SwitchConfig.defaults().controller(ctl.target()).failMode(SwitchConfig.FailMode.STANDALONE), 0);
        OfClient c = ctl.accept(OF13);
        c.send(flowInPort1ToPort2(1));
        assertTrue(c.barrier().isEmpty());
        assertTrue(awaitStatus("admission", ControllerStatus::admitted).connected());
        ctl.close();
        awaitStatus("the disconnection", st -> !st.connected());

        advance(15 * S - 1 * MS);
        assertFalse(sw.failOpenActive(), "not yet: 1 ms before 3 probe intervals");
        assertEquals(1, sw.flowTables().all().size(), "the controller's flow is still there");
        advance(1 * MS);
        assertTrue(sw.failOpenActive(), "fail-open after 3 probe intervals");
        assertEquals(List.of(), sw.flowTables().all(), "OpenFlow sees no flow");
        assertEquals(0, sw.flowTables().activeCount(0));
        List<FlowEntry> hidden = sw.flowTables().allIncludingHidden();
        assertEquals(1, hidden.size());
        assertEquals(0xf0f0f0, hidden.get(0).priority());

        long[] before = {tx(2), tx(3), tx(4)};
        sw.receiveSync(1, FRAME, FRAME.length);
        assertEquals(List.of(before[0] + 1, before[1] + 1, before[2] + 1), List.of(tx(2), tx(3), tx(4)),
                "NORMAL floods the unknown destination");

        awaitStatus("the last attempt to be refused", st -> st.state().equals("BACKOFF"));
        TestController back = controller(port);
        advance(8 * S);         // at most one max_backoff until the next attempt
        OfClient c2 = back.accept(OF13);
        awaitStatus("the new connection", ControllerStatus::connected);
        c2.echo();
        assertTrue(sw.failOpenActive(), "connected is not in control");

        advance(0);             // fail-open notices the connection: the first bogus packet-in is due in 2 s
        advance(2 * S);
        OfClient.Msg pin = c2.read();
        assertEquals(OfClient.PACKET_IN, pin.type(), "a bogus packet-in: " + pin);
        assertEquals(0, pin.u8(14), "reason no_match");
        assertEquals(-1L, pin.u64(16), "cookie all-ones");
        byte[] frame = pin.from(pin.length() - 42);
        assertEquals(0x80, frame[12] & 0xff);
        assertEquals(0x35, frame[13] & 0xff, "a RARP");
        assertEquals(0x00, frame[6]);
        assertEquals(0x23, frame[7]);
        assertEquals(0x20, frame[8], "from a Nicira MAC");

        c2.send(flowMod13(2, 0, 0, 200, IN_PORT_3, applyActions(output13(4))));
        assertTrue(c2.barrier().stream().allMatch(m -> m.type() == OfClient.PACKET_IN));
        assertFalse(sw.failOpenActive(), "recovered once the controller took control");
        List<FlowEntry> now = sw.flowTables().allIncludingHidden();
        assertEquals(1, now.size(), "only the new controller's flow: " + now);
        assertEquals(200, now.get(0).priority());
    }

    /** fail_mode=standalone without any controller: a visible priority=0 NORMAL flow from the start. */
    @Test
    void standalone_withoutControllers_startsWithAVisibleNormalFlow() throws IOException {
        start(SwitchConfig.defaults().failMode(SwitchConfig.FailMode.STANDALONE), 0);
        List<FlowEntry> flows = sw.flowTables().all();
        assertEquals(1, flows.size());
        assertEquals(0, flows.get(0).priority());
        assertEquals(0, flows.get(0).tableId());
        long[] before = {tx(1), tx(2), tx(4)};
        sw.receiveSync(3, FRAME, FRAME.length);
        assertEquals(List.of(before[0] + 1, before[1] + 1, before[2] + 1), List.of(tx(1), tx(2), tx(4)));
        advance(60 * S);
        assertFalse(sw.failOpenActive(), "no controller, no fail-open");
        assertEquals(1, sw.flowTables().all().size());
    }
}
