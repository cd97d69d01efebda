package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The global connection limit ({@code dpctl/ct-set-maxconns}) and per-zone limits ({@code dpctl/ct-set-limits}): a
 * commit into a full table or zone is refused, the packet still leaves {@code +new+trk} without a connection, the
 * refusal is counted, established traffic goes on, and deleting a connection frees its slot (OVS
 * {@code conn_not_found()}).
 */
class LimitsTest {
    private final TrackerFixture ct = new TrackerFixture();

    @AfterEach
    void close() {
        ct.close();
    }

    private static byte[] query(int sport) {
        return Frames.ipv4("10.0.0.1", "10.0.0.2").udp(sport, 53).payload("q").build();
    }

    private static byte[] answer(int dport) {
        return Frames.ipv4("10.0.0.2", "10.0.0.1").udp(53, dport).payload("a").build();
    }

    @Test
    void globalLimit_refusesCommitsWhenFull() {
        ct.tracker.setConnLimit(2);
        assertEquals(2, ct.tracker.connLimit());
        assertEquals("new|trk", ct.commit(query(1)));
        assertEquals("new|trk", ct.commit(query(2)));
        assertEquals("new|trk", ct.commit(query(3)));
        assertFalse(ct.md.hasConnection());
        assertEquals(2, ct.count());
        assertEquals(1, ct.tracker.stats().full());
        assertEquals(2, ct.tracker.stats().created());
        // Established traffic is unaffected.
        assertEquals("est|rpl|trk", ct.lookup(answer(1)));
        assertEquals("new|trk", ct.lookup(answer(3)));
    }

    @Test
    void globalLimit_slotIsFreedByAFlush() {
        ct.tracker.setConnLimit(1);
        ct.commit(query(1));
        assertEquals("new|trk", ct.commit(query(2)));
        assertEquals(1, ct.count());
        ct.tracker.flush(ConnFilter.all(), 0);
        ct.commit(query(2));
        assertTrue(ct.md.hasConnection());
        assertEquals(1, ct.count());
    }

    @Test
    void globalLimit_slotIsFreedByExpiry() {
        ct.tracker.setConnLimit(1);
        ct.commit(query(1));
        ct.warp(60_000);
        ct.commit(query(2));
        assertTrue(ct.md.hasConnection());
        assertEquals(1, ct.count());
    }

    @Test
    void globalLimit_loweredBelowTheCount_evictsNothing() {
        for (int p = 1; p <= 5; p++) {
            ct.commit(query(p));
        }
        ct.tracker.setConnLimit(2);
        assertEquals(5, ct.count());
        ct.commit(query(6));
        assertFalse(ct.md.hasConnection());
        assertThrows(IllegalArgumentException.class, () -> ct.tracker.setConnLimit(-1));
    }

    @Test
    void zoneLimit_refusesCommitsInThatZoneOnly() {
        ct.tracker.setZoneLimit(5, 1);
        assertEquals("new|trk", ct.ct(query(1), 5, CtParams.COMMIT));
        assertEquals("new|trk", ct.ct(query(2), 5, CtParams.COMMIT));
        assertFalse(ct.md.hasConnection());
        ct.ct(query(2), 6, CtParams.COMMIT);
        assertTrue(ct.md.hasConnection());
        assertEquals(1, ct.tracker.stats().zoneFull());
        assertEquals(1, ct.tracker.zoneCount(5));
        assertEquals(-1, ct.tracker.zoneCount(6));
        Map<Integer, int[]> limits = ct.tracker.zoneLimits();
        assertEquals(1, limits.size());
        assertEquals(1, limits.get(5)[0]);
        assertEquals(1, limits.get(5)[1]);
        assertEquals("est|rpl|trk", ct.ct(answer(1), 5, CtParams.LOOKUP));
    }

    @Test
    void zoneLimit_slotIsFreedByDeletion() {
        ct.tracker.setZoneLimit(5, 1);
        ct.ct(query(1), 5, CtParams.COMMIT);
        ct.tracker.flush(ConnFilter.zone(5), 0);
        assertEquals(0, ct.tracker.zoneCount(5));
        ct.ct(query(2), 5, CtParams.COMMIT);
        assertTrue(ct.md.hasConnection());
        assertEquals(1, ct.tracker.zoneCount(5));
        ct.warp(60_000);
        assertEquals(0, ct.tracker.zoneCount(5));
    }

    @Test
    void zoneLimit_raised_admitsMore() {
        ct.tracker.setZoneLimit(5, 1);
        ct.ct(query(1), 5, CtParams.COMMIT);
        ct.tracker.setZoneLimit(5, 2);
        ct.ct(query(2), 5, CtParams.COMMIT);
        assertTrue(ct.md.hasConnection());
        assertEquals(2, ct.tracker.zoneCount(5));
    }

    @Test
    void defaultZoneLimit_appliesToZonesWithoutTheirOwn() {
        ct.tracker.setDefaultZoneLimit(1);
        assertEquals(1, ct.tracker.defaultZoneLimit());
        ct.ct(query(1), 7, CtParams.COMMIT);
        ct.ct(query(2), 7, CtParams.COMMIT);
        assertFalse(ct.md.hasConnection());
        ct.ct(query(2), 8, CtParams.COMMIT);
        assertTrue(ct.md.hasConnection());
        // Changing the default changes the zones that use it.
        ct.tracker.setDefaultZoneLimit(2);
        ct.ct(query(2), 7, CtParams.COMMIT);
        assertTrue(ct.md.hasConnection());
        // Removing it lifts the limit.
        ct.tracker.setDefaultZoneLimit(-1);
        ct.ct(query(3), 7, CtParams.COMMIT);
        assertTrue(ct.md.hasConnection());
        assertEquals(-1, ct.tracker.zoneCount(7));
    }

    @Test
    void removeZoneLimit_fallsBackToTheDefaultAndKeepsTheCount() {
        ct.tracker.setDefaultZoneLimit(3);
        ct.tracker.setZoneLimit(5, 1);
        ct.ct(query(1), 5, CtParams.COMMIT);
        ct.tracker.removeZoneLimit(5);
        assertEquals(1, ct.tracker.zoneCount(5));
        ct.ct(query(2), 5, CtParams.COMMIT);
        ct.ct(query(3), 5, CtParams.COMMIT);
        ct.ct(query(4), 5, CtParams.COMMIT);
        assertFalse(ct.md.hasConnection());
        assertEquals(3, ct.tracker.zoneCount(5));
    }

    @Test
    void zoneLimit_rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ct.tracker.setZoneLimit(65536, 1));
        assertThrows(IllegalArgumentException.class, () -> ct.tracker.setZoneLimit(1, -1));
    }
}
