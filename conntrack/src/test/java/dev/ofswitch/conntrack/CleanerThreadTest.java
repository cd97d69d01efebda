package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.conntrack.time.ControllableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The cleaner thread on a frozen clock: {@link ConnTracker#sweepNow()} wakes it and returns after a pass, and a warp
 * past an expiration wakes it too, as {@code time/warp} must.
 */
class CleanerThreadTest {

    private static ConnTracker trackerWithThread(ControllableClock clock) {
        return new ConnTracker(ConnTrackerConfig.defaults().clock(clock));
    }

    @Test
    void sweepNow_repeated_alwaysReturns() {
        ControllableClock clock = ControllableClock.manual(0);
        try (ConnTracker tracker = trackerWithThread(clock)) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 20_000; i++) {
                    tracker.sweepNow();
                }
            });
            assertTrue(tracker.stats().cleanerPasses() >= 20_000);
        }
    }

    @Test
    void warpThenSweepNow_deletesExpiredConnections() {
        ControllableClock clock = ControllableClock.manual(Long.MAX_VALUE - 1_000_000_000L);
        try (ConnTracker tracker = trackerWithThread(clock)) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 1; i <= 500; i++) {
                    byte[] f = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(i, 53).build();
                    tracker.execute(f, 0, f.length, 0, CtParams.COMMIT, new CtMetadata(), clock.nanoTime());
                    assertEquals(1, tracker.connectionCount());
                    clock.warp(60_000);
                    tracker.sweepNow();
                    assertEquals(0, tracker.connectionCount(), "connection " + i);
                }
            });
            assertEquals(500, tracker.stats().expired());
        }
    }

    @Test
    void warpAlone_wakesTheCleaner() throws InterruptedException {
        ControllableClock clock = ControllableClock.manual(0);
        try (ConnTracker tracker = trackerWithThread(clock)) {
            byte[] f = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).build();
            tracker.execute(f, 0, f.length, 0, CtParams.COMMIT, new CtMetadata(), clock.nanoTime());
            clock.warp(60_000);
            // No sweepNow(): the warp alone must make the sleeping cleaner run. Poll real time, briefly.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (tracker.connectionCount() != 0 && System.nanoTime() - deadline < 0) {
                Thread.yield();
            }
            assertEquals(0, tracker.connectionCount());
        }
    }
}
