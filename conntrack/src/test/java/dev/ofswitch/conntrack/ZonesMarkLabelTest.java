package dev.ofswitch.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Zones, {@code ct_mark} / {@code ct_label} writes, the cached-connection fast path of a second {@code ct()} and
 * {@code ct(force,commit)}. Behaviour as real OVS showed it (oracle examples {@code zones}, {@code mark-label}; cases
 * {@code zones-isolation}, {@code ct-mark-masked}, {@code ct-label-128}, {@code force-commit}) or as OVS's
 * {@code process_one_fast()} and {@code set_mark()}/{@code set_label()} read.
 */
class ZonesMarkLabelTest {
    private final TrackerFixture ct = new TrackerFixture();

    @AfterEach
    void close() {
        ct.close();
    }

    private static byte[] query() {
        return Frames.ipv4("10.0.0.1", "10.0.0.2").udp(5000, 53).payload("q").build();
    }

    private static byte[] answer() {
        return Frames.ipv4("10.0.0.2", "10.0.0.1").udp(53, 5000).payload("a").build();
    }

    private static CtParams commitWithMark(int value, int mask) {
        return CtParams.builder().commit(true).mark(value, mask).build();
    }

    // ---------------------------------------------------------------------------------------------- zones

    @Test
    void zones_isolateIdenticalTuples() {
        assertEquals("new|trk", ct.ct(query(), 1, TrackerFixture.COMMIT));
        assertEquals("new|trk", ct.ct(query(), 2, TrackerFixture.COMMIT));
        assertEquals(2, ct.count());
        assertEquals("est|rpl|trk", ct.ct(answer(), 2, TrackerFixture.LOOKUP));
        assertEquals(2, ct.md.zone());
        assertEquals("new|trk", ct.ct(answer(), 3, TrackerFixture.LOOKUP));
        List<String> dump = ct.dump();
        assertTrue(dump.get(0).contains(",zone=1,status=0,timeout=60"), dump.get(0));
        assertTrue(dump.get(1).contains(",zone=2,status=0,timeout=30"), dump.get(1));
        assertEquals(1, ct.tracker.dump(2, ct.clock.nanoTime()).size());
    }

    @Test
    void zones_stateFromAnotherZoneIsResetBeforeTracking() {
        ct.ct(query(), 1, TrackerFixture.COMMIT);
        ct.ct(query(), 2, TrackerFixture.COMMIT);
        CtMetadata md = new CtMetadata();
        byte[] answer = answer();
        ct.tracker.execute(answer, 0, answer.length, 1, CtParams.LOOKUP, md, 0);
        assertEquals("est|rpl|trk", CtState.format(md.state()));
        byte[] query = query();
        ct.tracker.execute(query, 0, query.length, 2, CtParams.LOOKUP, md, 0);
        assertEquals("new|trk", CtState.format(md.state()));   // not est|rpl|new|trk
        assertEquals(2, md.zone());
    }

    // ---------------------------------------------------------------------------------------------- mark, label

    @Test
    void commit_writesMarkAndLabelToConnectionAndPacket() {
        CtParams p = CtParams.builder().commit(true).mark(0xab, -1).label(0, 0x1122, -1L, -1L).build();
        assertEquals("new|trk", ct.ct(query(), 0, p));
        assertEquals(0xab, ct.md.mark());
        assertEquals(0x1122, ct.md.labelLo());
        assertTrue(ct.dump().get(0).endsWith(",timeout=60,mark=171,labels=0x1122"), ct.dump().get(0));
        ct.lookup(answer());
        assertEquals(0xab, ct.md.mark());
        assertEquals(0x1122, ct.md.labelLo());
    }

    @Test
    void maskedMarkWrites_fromBothDirections_combine() {
        ct.ct(query(), 0, commitWithMark(0x5, 0x5));
        ct.ct(answer(), 0, commitWithMark(0x2, 0x6));
        assertEquals(3, ct.only().mark());
        assertEquals(3, ct.md.mark());
    }

    @Test
    void maskedLabelWrites_fromBothDirections_combine() {
        ct.ct(query(), 0, CtParams.builder().commit(true).label(0, 0x5, 0, 0x5).build());
        ct.ct(answer(), 0, CtParams.builder().commit(true).label(0, 0x2_0000_0000L, 0, 0x2_0000_0004L).build());
        assertEquals(0x2_0000_0001L, ct.only().labelLo());
        assertTrue(ct.dump().get(0).endsWith("labels=0x200000001"), ct.dump().get(0));
    }

    @Test
    void labelHighBits_areKept() {
        ct.ct(query(), 0, CtParams.builder().commit(true).label(0x8000_0000_0000_0000L, 1, -1L, -1L).build());
        assertEquals(0x8000_0000_0000_0000L, ct.only().labelHi());
        assertTrue(ct.dump().get(0).endsWith("labels=0x80000000000000000000000000000001"), ct.dump().get(0));
    }

    @Test
    void markWrite_withoutConnection_isNotApplied() {
        assertEquals("new|trk", ct.ct(query(), 0, CtParams.builder().mark(7, -1).build()));
        assertEquals(0, ct.md.mark());
        assertEquals(0, ct.count());
    }

    @Test
    void markWrite_onExistingConnection_isAppliedWithoutCommit() {
        // OVS's conntrack module writes the mark whenever a connection exists; only OpenFlow decoding insists on
        // commit for exec().
        ct.commit(query());
        ct.ct(answer(), 0, CtParams.builder().mark(9, -1).build());
        assertEquals(9, ct.only().mark());
    }

    @Test
    void commit_markAndLabelAreNeverSeenApart() throws InterruptedException {
        CtParams p = CtParams.builder().commit(true).mark(1, -1).label(0, 1, 0, -1L).build();
        AtomicReference<String> torn = new AtomicReference<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread dumper = new Thread(() -> {
            while (writing.get() && torn.get() == null) {
                for (ConnEntry e : ct.tracker.dump(-1, 0)) {
                    if (e.mark() != 1 || e.labelLo() != 1) {
                        torn.set(e.format(true, true));
                    }
                }
            }
        });
        dumper.start();
        for (int port = 1; port <= 1000; port++) {
            byte[] f = Frames.ipv4("10.0.0.1", "10.0.0.2").udp(port, 53).build();
            ct.tracker.execute(f, 0, f.length, 0, p, new CtMetadata(), 0);
        }
        writing.set(false);
        dumper.join();
        assertEquals(null, torn.get());
        assertEquals(1000, ct.count());
    }

    // ---------------------------------------------------------------------------------------------- fast path

    @Test
    void secondCtInSameZone_takesTheFastPath() {
        CtMetadata md = new CtMetadata();
        byte[] syn = Frames.ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).flags(Frames.SYN).seq(1000).build();
        ct.tracker.execute(syn, 0, syn.length, 4, CtParams.COMMIT, md, ct.clock.nanoTime());
        assertTrue(md.hasConnection());
        ct.warp(10_000);
        // Same packet, second ct() in zone 4 with a mark write: the write lands, the tracker is not run (a SYN
        // retransmission would re-arm 30 s), the state bits stay.
        ct.tracker.execute(syn, 0, syn.length, 4, CtParams.builder().mark(0x42, -1).build(), md,
                ct.clock.nanoTime());
        assertEquals("new|trk", CtState.format(md.state()));
        assertEquals(0x42, md.mark());
        assertEquals(0x42, ct.only().mark());
        assertEquals(20, ct.timeout());
    }

    @Test
    void fastPath_appliesLabelWritesToo() {
        CtMetadata md = new CtMetadata();
        byte[] q = query();
        ct.tracker.execute(q, 0, q.length, 0, CtParams.builder().commit(true).label(0, 0xf0, 0, 0xff).build(), md, 0);
        ct.tracker.execute(q, 0, q.length, 0, CtParams.builder().label(0, 0x1, 0, 0xf).build(), md, 0);
        assertEquals(0xf1, md.labelLo());
        assertEquals(0xf1, ct.only().labelLo());
    }

    @Test
    void secondCtInAnotherZone_looksUpAgain() {
        CtMetadata md = new CtMetadata();
        byte[] q = query();
        ct.tracker.execute(q, 0, q.length, 1, CtParams.COMMIT, md, 0);
        ct.tracker.execute(q, 0, q.length, 2, CtParams.COMMIT, md, 0);
        assertEquals(2, ct.count());
        assertEquals(2, md.zone());
    }

    @Test
    void fastPath_afterTheConnectionWasFlushed_keepsTheStaleHandleHarmlessly() {
        CtMetadata md = new CtMetadata();
        byte[] q = query();
        ct.tracker.execute(q, 0, q.length, 0, CtParams.COMMIT, md, 0);
        ct.tracker.flush(ConnFilter.all(), 0);
        ct.tracker.execute(q, 0, q.length, 0, CtParams.builder().mark(5, -1).build(), md, 0);
        assertEquals(0, ct.count());
        assertEquals(List.of(), ct.dump());
    }

    // ---------------------------------------------------------------------------------------------- force

    @Test
    void forceCommit_inReplyDirection_replacesTheConnection() {
        ct.ct(query(), 0, commitWithMark(7, -1));
        ct.warp(10_000);
        long flushed = ct.tracker.stats().flushed();
        CtParams force = CtParams.builder().commit(true).force(true).build();
        assertEquals("new|trk", ct.ct(answer(), 0, force));
        assertEquals(flushed + 1, ct.tracker.stats().flushed());
        assertEquals(List.of("udp,orig=(src=10.0.0.2,dst=10.0.0.1,sport=53,dport=5000),reply=(src=10.0.0.1,"
                + "dst=10.0.0.2,sport=5000,dport=53),status=0,timeout=60"), ct.dump());
        // And back again.
        assertEquals("new|trk", ct.ct(query(), 0, force));
        assertTrue(ct.dump().get(0).startsWith("udp,orig=(src=10.0.0.1,"), ct.dump().get(0));
        assertEquals(1, ct.count());
    }

    @Test
    void forceCommit_inOriginalDirection_keepsTheConnection() {
        ct.ct(query(), 0, commitWithMark(7, -1));
        CtParams force = CtParams.builder().commit(true).force(true).build();
        assertEquals("new|trk", ct.ct(query(), 0, force));
        assertEquals(7, ct.only().mark());
        assertEquals(1, ct.tracker.stats().created());
    }

    @Test
    void force_bypassesTheFastPath() {
        CtMetadata md = new CtMetadata();
        byte[] q = query();
        byte[] a = answer();
        ct.tracker.execute(q, 0, q.length, 0, CtParams.COMMIT, md, 0);
        md.forgetConnection();
        ct.tracker.execute(a, 0, a.length, 0, CtParams.COMMIT, md, 0);
        assertTrue(md.hasConnection());
        ct.tracker.execute(a, 0, a.length, 0, CtParams.builder().commit(true).force(true).build(), md, 0);
        assertEquals("new|trk", CtState.format(md.state()));
        assertTrue(ct.dump().get(0).startsWith("udp,orig=(src=10.0.0.2,"), ct.dump().get(0));
    }

    @Test
    void ctClear_forgetsEverything() {
        ct.ct(query(), 0, commitWithMark(7, -1));
        CtMetadata md = ct.md;
        md.clear();
        assertEquals(0, md.state());
        assertEquals(0, md.mark());
        assertFalse(md.hasTuple());
        assertFalse(md.hasConnection());
        CtMetadata copy = new CtMetadata();
        copy.copyFrom(md);
        assertNotSame(md, copy);
        assertEquals(0, copy.state());
    }
}
