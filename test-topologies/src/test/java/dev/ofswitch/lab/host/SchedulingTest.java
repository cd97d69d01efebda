package dev.ofswitch.lab.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The clock and the thread: virtual time from any start, and NICs that deliver synchronously. */
class SchedulingTest {

    @Test
    void virtualScheduler_runsByDeadlineThenSubmissionAndHonoursCancel() {
        VirtualScheduler s = new VirtualScheduler(Long.MAX_VALUE - 5);
        List<String> ran = new ArrayList<>();
        s.schedule(10, () -> ran.add("b"));
        s.schedule(5, () -> ran.add("a"));
        Cancellable c = s.schedule(7, () -> ran.add("cancelled"));
        s.schedule(10, () -> ran.add("c"));
        s.execute(() -> ran.add("now"));

        assertTrue(c.cancel());
        assertFalse(c.cancel());
        s.runUntilIdle();

        assertEquals(List.of("now", "a", "b", "c"), ran);
        assertEquals(Long.MIN_VALUE + 4, s.nanoTime(), "wrapped past Long.MAX_VALUE like System.nanoTime()");
        s.advance(3);
        assertEquals(3_000_010, s.elapsedNanos());
    }

    /** A ping and a lossy transfer give the same results whatever value the clock starts at. */
    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, Long.MAX_VALUE - 1_000_000_000L, -1})
    void hosts_workFromAnyClockStart(long start) {
        assertEquals(session(0), session(start));
    }

    /** A transcript of a ping and a lossy transfer: ping lines, TCP statistics, the time it all took. */
    private static List<String> session(long start) {
        VirtualScheduler sched = new VirtualScheduler(start);
        TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 3);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        wire.ports().forEach(p -> p.configure(l -> l.delayMs(0.5).loss(0.03)));

        PingResult ping = sched.await(h1.ping(TestHosts.ip(2), 5, 200, 1000, 56));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        sched.await(h2.listen(80, c -> c.setHandler(new TcpHandler() {
            @Override
            public void onData(TcpConnection conn, byte[] data) {
                got.writeBytes(data);
            }
        })));
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80));
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        sched.await(c.write(data));

        assertArrayEquals(data, got.toByteArray());
        assertTrue(c.stats().retransmits() > 0);
        List<String> transcript = new ArrayList<>(ping.formatLines());
        transcript.add(c.stats().toString());
        transcript.add("elapsed " + sched.elapsedNanos());
        return transcript;
    }

    @Test
    void synchronousNic_reentrantFramesWaitUntilTheHostIsDone() {
        VirtualScheduler sched = new VirtualScheduler();
        TestWire wire = new TestWire(sched, TestWire.Mode.SWITCH, 1);
        wire.synchronous = true;
        TcpWindowMonitor monitor = new TcpWindowMonitor();
        monitor.install(wire);
        EmulatedHost h1 = wire.host(TestHosts.config(1));
        EmulatedHost h2 = wire.host(TestHosts.config(2));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        sched.await(h2.listen(80, c -> c.setHandler(new TcpHandler() {
            @Override
            public void onData(TcpConnection conn, byte[] data) {
                got.writeBytes(data);
                conn.write(data);
            }

            @Override
            public void onEof(TcpConnection conn) {
                conn.close();
            }
        })));

        assertEquals(3, sched.await(h1.ping(TestHosts.ip(2), 3, 1000, 1000, 56)).received());
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        TcpConnection c = sched.await(h1.connect(TestHosts.ip(2), 80, new TcpHandler() {
            @Override
            public void onData(TcpConnection conn, byte[] data) {
                echoed.writeBytes(data);
            }
        }));
        byte[] data = new byte[300_000];
        new Random(2).nextBytes(data);
        sched.await(c.write(data));
        sched.await(c.close());
        sched.runUntilIdle();

        assertArrayEquals(data, got.toByteArray());
        assertArrayEquals(data, echoed.toByteArray());
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(List.of(), monitor.violations);
    }
}
