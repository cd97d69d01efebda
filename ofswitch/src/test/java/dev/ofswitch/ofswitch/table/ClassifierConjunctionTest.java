package dev.ofswitch.ofswitch.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Conjunctive matches in {@link Classifier}, as OVS's {@code classifier_lookup__()} runs them. Keys are 4 words:
 * word 0 a source address, word 1 a destination port, word 2 a TTL, and the high half of word 3 the conjunction id.
 * Payloads are {@link Flow}s; a flow with clauses is a clause ({@code conjunction(id,k/n)} actions). The same
 * semantics against real OVS: the oracle case {@code conjunction-security-group}.
 */
class ClassifierConjunctionTest {
    private static final long ALL = -1L;
    private static final long CONJ = 0xffffffffL << 32;

    /** A flow: a name, and its conjunction clauses (packed), or none. */
    record Flow(String name, long[] clauses) {
        static Flow of(String name) {
            return new Flow(name, null);
        }
    }

    private static final ConjunctionSupport<Flow> SUPPORT = new ConjunctionSupport<>(Flow::clauses, 3, 32);

    private static Classifier<Flow> cls() {
        return new Classifier<>(TieBreak.SUBTABLE_ORDER, SUPPORT, 4, 1, 2, 3);
    }

    /** conjunction(id,k/n), k 1-based as ovs-ofctl writes it. */
    private static long c(long id, int k, int n) {
        return ConjunctionSupport.pack(id, k - 1, n);
    }

    private static Flow clause(long... clauses) {
        return new Flow("clause", clauses);
    }

    private static void src(Classifier<Flow> t, long src, int pri, Flow f) {
        t.insert(new long[] {src, 0, 0, 0}, new long[] {ALL, 0, 0, 0}, pri, f);
    }

    private static void port(Classifier<Flow> t, long port, int pri, Flow f) {
        t.insert(new long[] {0, port, 0, 0}, new long[] {0, ALL, 0, 0}, pri, f);
    }

    private static void ttl(Classifier<Flow> t, long ttl, int pri, Flow f) {
        t.insert(new long[] {0, 0, ttl, 0}, new long[] {0, 0, ALL, 0}, pri, f);
    }

    private static void conjId(Classifier<Flow> t, long id, int pri, String name) {
        t.insert(new long[] {0, 0, 0, id << 32}, new long[] {0, 0, 0, CONJ}, pri, Flow.of(name));
    }

    private static void drop(Classifier<Flow> t) {
        t.insert(new long[4], new long[4], 0, Flow.of("drop"));
    }

    private static String hit(Classifier<Flow> t, long src, long port, long ttl) {
        long[] key = {src, port, ttl, 0x1234};
        Rule<Flow> r = t.lookup(key);
        assertArrayEquals(new long[] {src, port, ttl, 0x1234}, key, "the lookup restores the key");
        long[] wc = new long[4];
        Rule<Flow> tracked = t.lookup(key.clone(), wc);
        assertEquals(r, tracked, "with and without wildcard tracking");
        return r == null ? null : r.payload().name();
    }

    /** Sources {1, 3} x ports {22, 80} at priority 70: conjunction 10. */
    private static Classifier<Flow> securityGroup() {
        Classifier<Flow> t = cls();
        src(t, 1, 70, clause(c(10, 1, 2)));
        src(t, 3, 70, clause(c(10, 1, 2)));
        port(t, 22, 70, clause(c(10, 2, 2)));
        port(t, 80, 70, clause(c(10, 2, 2)));
        conjId(t, 10, 70, "allow");
        drop(t);
        return t;
    }

    @Test
    void twoDimensions_everyPairOfTheSetsMatches_nothingElse() {
        Classifier<Flow> t = securityGroup();
        assertEquals("allow", hit(t, 1, 22, 0));
        assertEquals("allow", hit(t, 1, 80, 0));
        assertEquals("allow", hit(t, 3, 22, 0));
        assertEquals("allow", hit(t, 3, 80, 0));
        assertEquals("drop", hit(t, 2, 22, 0), "source outside the set");
        assertEquals("drop", hit(t, 1, 443, 0), "port outside the set");
        assertEquals(4, t.clauseCount());
    }

    @Test
    void threeDimensions_needAllThreeClauses() {
        Classifier<Flow> t = cls();
        src(t, 7, 60, clause(c(20, 1, 3)));
        port(t, 53, 60, clause(c(20, 2, 3)));
        port(t, 123, 60, clause(c(20, 2, 3)));
        ttl(t, 64, 60, clause(c(20, 3, 3)));
        conjId(t, 20, 60, "dns-ntp");
        drop(t);
        assertEquals("dns-ntp", hit(t, 7, 53, 64));
        assertEquals("dns-ntp", hit(t, 7, 123, 64));
        assertEquals("drop", hit(t, 8, 53, 64));
        assertEquals("drop", hit(t, 7, 54, 64));
        assertEquals("drop", hit(t, 7, 53, 32));
    }

    @Test
    void incompleteConjunction_fallsThroughToLowerPriorities() {
        Classifier<Flow> t = securityGroup();
        port(t, 443, 50, Flow.of("https"));
        assertEquals("https", hit(t, 1, 443, 0), "clause 1 alone counts for nothing");
        // A lower-priority ordinary flow with the same match as a clause takes over when the clause does not complete.
        src(t, 1, 40, Flow.of("src1-low"));
        assertEquals("src1-low", hit(t, 1, 9, 0));
        assertEquals("allow", hit(t, 1, 22, 0));
        // ... and a lower-priority clause with the same match does too, for its own conjunction.
        src(t, 3, 30, clause(c(30, 1, 2)));
        ttl(t, 9, 30, clause(c(30, 2, 2)));
        conjId(t, 30, 30, "thirty");
        assertEquals("thirty", hit(t, 3, 9, 9));
    }

    @Test
    void priorities_hardMatchAboveOrEqualWins_lowerDoesNot() {
        Classifier<Flow> t = securityGroup();
        ttl(t, 1, 80, Flow.of("above"));
        ttl(t, 2, 70, Flow.of("equal"));
        ttl(t, 3, 65, Flow.of("below"));
        assertEquals("above", hit(t, 1, 22, 1));
        assertEquals("equal", hit(t, 1, 22, 2), "a clause never beats an ordinary flow of its own priority");
        assertEquals("allow", hit(t, 1, 22, 3));
        assertEquals("below", hit(t, 1, 443, 3));
    }

    @Test
    void higherIncompleteConjunction_thenLowerCompleteOne() {
        Classifier<Flow> t = securityGroup();
        src(t, 5, 90, clause(c(40, 1, 2)));
        ttl(t, 5, 90, clause(c(40, 2, 2)));
        conjId(t, 40, 90, "forty");
        src(t, 5, 60, clause(c(41, 1, 2)));
        port(t, 5, 60, clause(c(41, 2, 2)));
        conjId(t, 41, 60, "forty-one");
        assertEquals("forty", hit(t, 5, 5, 5));
        assertEquals("forty-one", hit(t, 5, 5, 0), "conjunction 40 misses its second clause");
    }

    @Test
    void severalConjunctions_shareClauseFlows() {
        Classifier<Flow> t = cls();
        src(t, 1, 70, clause(c(10, 1, 2)));
        src(t, 3, 70, clause(c(10, 1, 2), c(11, 1, 2)));
        port(t, 22, 70, clause(c(10, 2, 2)));
        port(t, 80, 70, clause(c(10, 2, 2), c(11, 2, 2)));
        port(t, 8080, 70, clause(c(11, 2, 2)));
        conjId(t, 10, 70, "ten");
        conjId(t, 11, 70, "eleven");
        drop(t);
        assertEquals("ten", hit(t, 3, 80, 0), "both complete; the first completed in action order wins");
        assertEquals("ten", hit(t, 3, 22, 0));
        assertEquals("eleven", hit(t, 3, 8080, 0));
        assertEquals("drop", hit(t, 1, 8080, 0), "clause 1 of 10 and clause 2 of 11 make no conjunction");
    }

    @Test
    void completedConjunctionWithoutItsFlow_givesTheBestOrdinaryFlow() {
        Classifier<Flow> t = securityGroup();
        t.remove(t.findExactly(new long[] {0, 0, 0, 10L << 32}, new long[] {0, 0, 0, CONJ}, 70));
        ttl(t, 4, 20, Flow.of("twenty"));
        // OVS looks the conj_id=10 flow up in the whole table without clauses: the best ordinary flow answers.
        assertEquals("twenty", hit(t, 1, 22, 4));
        assertEquals("drop", hit(t, 1, 22, 0));
    }

    @Test
    void conjIdFlows_neverMatchPacketsDirectly() {
        Classifier<Flow> t = cls();
        conjId(t, 0, 10, "conj_id=0 matches every key whose id bits are 0");
        conjId(t, 7, 20, "seven");
        src(t, 1, 20, clause(c(7, 1, 2)));
        assertEquals("conj_id=0 matches every key whose id bits are 0", hit(t, 1, 1, 1));
    }

    @Test
    void clauseCount_picksThePath_andFollowsRemovalReplacementAndCopy() {
        Classifier<Flow> t = securityGroup();
        Classifier<Flow> copy = t.copy();
        assertEquals(4, copy.clauseCount());
        assertEquals("allow", hit(copy, 3, 80, 0));
        Rule<Flow> r = t.findExactly(new long[] {1, 0, 0, 0}, new long[] {ALL, 0, 0, 0}, 70);
        r = t.replacePayload(r, Flow.of("src1"));
        assertEquals(3, t.clauseCount());
        assertEquals("src1", hit(t, 1, 22, 0), "no longer a clause: an ordinary flow at 70");
        t.replacePayload(r, clause(c(10, 1, 2)));
        assertEquals(4, t.clauseCount());
        assertEquals("allow", hit(t, 1, 22, 0));
        for (Rule<Flow> x : t.rules()) {
            if (x.payload().clauses() != null) {
                t.remove(x);
            }
        }
        assertEquals(0, t.clauseCount());
        assertEquals("drop", hit(t, 1, 22, 0));
        assertEquals(4, copy.clauseCount(), "the copy is independent");
        // Re-adding a clause at the priority of an existing one replaces it and keeps the count right.
        src(t, 9, 5, clause(c(1, 1, 2)));
        src(t, 9, 5, Flow.of("nine"));
        assertEquals(0, t.clauseCount());
        assertEquals("nine", hit(t, 9, 0, 0));
    }

    @Test
    void noSupport_clausesAreOrdinaryRules() {
        Classifier<Flow> t = new Classifier<>(TieBreak.SUBTABLE_ORDER, 4, 1, 2, 3);
        src(t, 1, 70, clause(c(10, 1, 2)));
        assertEquals(0, t.clauseCount());
        assertEquals("clause", t.lookup(new long[] {1, 0, 0, 0}).payload().name());
        assertNull(t.lookup(new long[] {2, 0, 0, 0}));
    }
}
