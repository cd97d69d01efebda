package dev.ofswitch.ofswitch.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;

/**
 * A flow classifier for one flow table: tuple-space search after Open vSwitch's {@code lib/classifier.c}.
 *
 * <h2>What</h2> Holds rules (match value, mask, priority, payload) over keys of {@code keyWords} 64-bit words and
 * finds, for a packet key, the matching rule of highest priority, optionally with the mask of the key bits that
 * decision depended on (the megaflow mask, OVS's "un-wildcarding"). Semantics, ties included, are those of
 * {@link FlowClassifier}; {@link LinearClassifier} is the reference that tests hold this class to.
 *
 * <h2>Design</h2>
 *
 * <ul>
 *   <li><b>Subtables.</b> Rules are grouped by mask; each group ({@link Subtable}) is a hash table from the masked key
 *       to the rules with that key, highest priority first. A lookup probes each subtable once.
 *   <li><b>Priority order.</b> Subtables are kept sorted by their highest rule priority (then by age), and a lookup
 *       stops as soon as no remaining subtable can beat the best match so far: with {@link TieBreak#SUBTABLE_ORDER}
 *       at the first subtable whose maximum is not above it, as OVS does; with the default
 *       {@link TieBreak#EARLIEST_INSTALLED} only at the first whose maximum is below it, since an equal one might
 *       hold an older tying rule. That difference is up to 20× on lookups that hit among many same-priority masks.
 *   <li><b>Word lists.</b> A subtable hashes and compares only the key words its mask uses, with precomputed word
 *       indexes, masks and multipliers, so unused words of a wide key cost nothing (OVS's miniflow).
 *   <li><b>Staged lookup.</b> The constructor's stage boundaries (say metadata, L2, L3, L4 words) cut each subtable's
 *       words into stages. With wildcard tracking, a subtable is hashed stage by stage and abandoned at the first
 *       stage prefix no rule has, un-wildcarding only the stages consulted; this is what keeps megaflows wide. As in
 *       OVS, a lookup without tracking makes one hash and one probe per subtable instead, which is faster.
 *   <li><b>Hashing.</b> A sum of per-word products and one final mix (see {@link Subtable}): the multiplications are
 *       independent, so the CPU overlaps them, and stage hashes are partial sums of the same products.
 * </ul>
 *
 * <h2>Conjunctive matches</h2> With a {@link ConjunctionSupport}, a rule whose payload stands for
 * {@code conjunction(id,k/n)} actions is a clause, not a result: a key matches conjunction {@code id} when, at one
 * priority, it matches a clause rule of every clause 1..n of it; the answer is then the rule found for the key with its
 * conjunction-id bits set to {@code id} (the {@code conj_id=id} flow), clauses ignored. A conjunction that does not
 * complete makes its clauses count as absent, so lower-priority rules match (OVS {@code classifier_lookup__()},
 * described in {@code lib/classifier.h} "Conjunctive matches", whose order this follows: the first conjunction
 * completed, in subtable order then action order, wins; an ordinary rule of equal priority beats clauses).
 * The classifier counts its clause rules and publishes whether it has any in the snapshot, so a table without clauses
 * takes the plain lookup above and pays one field read for the feature. A table with clauses probes every subtable
 * above the best ordinary match and keeps its soft matches in per-thread arrays that are reused (no allocation once
 * grown); it writes the conjunction id into the caller's key for the nested lookup and restores it before returning.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Exactly one subtable per distinct mask in use; a subtable is dropped with its last rule.
 *   <li>{@code snapshot.subtables} holds every live subtable, sorted by {@code snapshot.maxPriorities}, which is each
 *       subtable's maximum rule priority as of the last publication (see Thread-safety for the window between).
 *   <li>Within an entry, rules have distinct priorities, highest first. No two installed rules have the same match,
 *       mask and priority.
 *   <li>{@code clauseRules} is the number of installed rules whose payload is a clause; a publication makes
 *       {@code snapshot.conjunctive} equal to {@code clauseRules > 0}.
 *   <li>Hash-table invariants (slots never return to EMPTY, tombstones until rehash): see {@link Subtable}.
 * </ul>
 *
 * <h2>Thread-safety</h2> One writer, many readers, and readers never block or retry. {@link #lookup(long[])} and
 * {@link #lookup(long[], long[])} may run on any number of threads at once; every other method must be called by one
 * thread at a time (the switch's control thread), which this class calls the writer.
 *
 * <p><b>Publication point:</b> every mutating method ends with a volatile write of {@link #snapshot}; every lookup
 * begins with a volatile read of it. A lookup that starts after a mutation returned therefore sees all of that
 * mutation's writes (happens-before). A lookup that overlaps a mutation may see part of it; the structures are built
 * so that such a lookup still returns either the rule it would have returned before the mutation or the one it would
 * return after, never a rule that does not match and never a miss for a rule present throughout:
 *
 * <ul>
 *   <li>Entries and rules are immutable, with final fields only, so a reference read through a race is a fully built
 *       object (JLS 17.5). Changing a rule's chain or payload replaces the whole entry with one reference store.
 *   <li>Every probe hit is confirmed against the entry's own key; a slot whose entry is being removed reads as null
 *       and the probe goes on.
 *   <li>Slots go EMPTY → used → tombstone and never back, so a probe chain is never cut under a reader; resizing
 *       builds a new table and swaps it in with one reference store, and the writer never touches the old one again.
 *   <li>Insertion adds the stage prefixes before the entry; removal drops the entry before the prefixes.
 *   <li>The subtable order is an immutable snapshot. Between an in-place insert and the next publication a subtable
 *       may hold a rule above its recorded maximum; a lookup that skips it returns the pre-insert answer.
 * </ul>
 *
 * <p>Removed rules stay reachable from in-flight lookups until those finish; the garbage collector plays the part of
 * OVS's RCU. There is no versioning (OVS's {@code ovs_version_t}) inside a classifier: a change is seen by lookups
 * as it is made. A batch that must be atomic to lookups (an OpenFlow bundle) is prepared on a {@link #copy()} that
 * the caller publishes whole.
 *
 * <h2>Costs</h2>
 *
 * <ul>
 *   <li>Lookup: per subtable probed, one multiply-add per used key word, one mix, usually one probe and one key
 *       compare; with tracking, one set probe per stage passed. No allocation, no lock, no CAS.
 *   <li>Insert/remove: O(1) amortized hashing plus a {@code TreeMap} update of the subtable's priority counts; a new
 *       snapshot (O(S log S) for S subtables) only when a subtable appears, disappears or changes maximum priority.
 *       Tombstones are cleared by rehash, amortized O(1). Each change allocates a new entry.
 *   <li>Memory: per rule, its arrays and an entry, plus 8 to 16 bytes of table slots per entry (tables are
 *       1/4 to 1/2 full) and as much per distinct stage prefix.
 *   <li>{@link #findLoose} and {@link #overlaps} scan the subtables that can qualify (a hash lookup where the masks
 *       allow), which is fine for flow-mods and statistics but not for the datapath.
 * </ul>
 *
 * <h2>References</h2> OVS {@code lib/classifier.h} (design essay: subtables, staged lookup, un-wildcarding,
 * thread-safety) and {@code lib/classifier.c} ({@code classifier_lookup__()}, {@code find_match_wc()}); OVS
 * {@code tests/test-classifier.c} (the linear reference and the benchmark); OpenFlow 1.3.5 §5.3 (matching), §6.4
 * (flow-mod strict/non-strict, OFPFF_CHECK_OVERLAP); V. Srinivasan et al., "Packet Classification using Tuple Space
 * Search", SIGCOMM 1999.
 *
 * @param <R> the payload type
 */
public final class Classifier<R> implements FlowClassifier<R> {
    private static final Subtable<?>[] NO_SUBTABLES = new Subtable<?>[0];

    // Immutable.
    private final int keyWords;
    private final int[] stageBoundaries;
    private final TieBreak tieBreak;
    /** {@code tieBreak == SUBTABLE_ORDER}. */
    private final boolean firstWins;
    /** How to tell clauses of conjunctive matches; null: every rule is ordinary. */
    private final ConjunctionSupport<R> conj;

    // Writer-only.
    private final HashMap<MaskKey, Subtable<R>> byMask = new HashMap<>();
    private long nextSeq;
    /** Age stamp for the next new subtable: ranks subtables of equal maximum priority. */
    private long nextSubtableStamp;
    private int size;
    /** Rules that are clauses of conjunctive matches. */
    private int clauseRules;
    /** The snapshot the next publication writes: the current one unless the subtable order changed. */
    private Snapshot current = new Snapshot(NO_SUBTABLES, new int[0], false);

    /** The publication point: written (volatile) at the end of every mutation, read at the start of every lookup. */
    private volatile Snapshot snapshot = current;

    /**
     * Makes an empty classifier whose ties go to the earliest installed rule ({@link TieBreak#EARLIEST_INSTALLED}).
     *
     * @param keyWords the key width in 64-bit words
     * @param stageBoundaries word indexes, ascending, at which a new lookup stage starts: {@code (16, 4, 8, 12)} makes
     *     stages of words 0–3, 4–7, 8–11 and 12–15. None gives a single stage.
     */
    public Classifier(int keyWords, int... stageBoundaries) {
        this(TieBreak.EARLIEST_INSTALLED, keyWords, stageBoundaries);
    }

    /**
     * Makes an empty classifier.
     *
     * @param tieBreak how equal-priority matches are ranked; see {@link TieBreak} for what each costs
     * @param keyWords the key width in 64-bit words
     * @param stageBoundaries word indexes, ascending, at which a new lookup stage starts
     */
    public Classifier(TieBreak tieBreak, int keyWords, int... stageBoundaries) {
        this(tieBreak, null, keyWords, stageBoundaries);
    }

    /**
     * Makes an empty classifier that runs Open vSwitch's conjunctive matches (see the class comment).
     *
     * @param tieBreak how equal-priority matches are ranked
     * @param conj which payloads are clauses and where the conjunction id sits in a key; null for none
     * @param keyWords the key width in 64-bit words
     * @param stageBoundaries word indexes, ascending, at which a new lookup stage starts
     */
    public Classifier(TieBreak tieBreak, ConjunctionSupport<R> conj, int keyWords, int... stageBoundaries) {
        if (keyWords <= 0) {
            throw new IllegalArgumentException("keyWords must be positive: " + keyWords);
        }
        int prev = 0;
        for (int b : stageBoundaries) {
            if (b <= prev || b >= keyWords) {
                throw new IllegalArgumentException("stage boundaries must ascend within (0, keyWords): "
                        + Arrays.toString(stageBoundaries));
            }
            prev = b;
        }
        this.keyWords = keyWords;
        this.stageBoundaries = stageBoundaries.clone();
        this.tieBreak = tieBreak;
        this.firstWins = tieBreak == TieBreak.SUBTABLE_ORDER;
        if (conj != null && (conj.conjIdWord() < 0 || conj.conjIdWord() >= keyWords || conj.conjIdShift() < 0
                || conj.conjIdShift() > 32)) {
            throw new IllegalArgumentException("conj_id outside the key: word " + conj.conjIdWord() + " shift "
                    + conj.conjIdShift());
        }
        this.conj = conj;
    }

    /** @return how this classifier ranks equal-priority matches */
    public TieBreak tieBreak() {
        return tieBreak;
    }

    @Override
    public int keyWords() {
        return keyWords;
    }

    // ---- Datapath. ----

    /**
     * {@inheritDoc}
     *
     * <p>In a classifier with clauses of conjunctive matches, {@code key}'s conjunction-id bits are set for the
     * nested lookup of a completed conjunction and restored before this returns: the array must not be read by another
     * thread meanwhile (a packet's key is its own).
     */
    @Override
    public Rule<R> lookup(long[] key) {
        final Snapshot s = snapshot;
        if (s.conjunctive) {
            return lookupConjunctive(s, key, null);
        }
        return firstWins ? lookupFirst(s, key, null) : lookupEarliest(s, key, null);
    }

    @Override
    public Rule<R> lookup(long[] key, long[] wildcards) {
        final Snapshot s = snapshot;
        if (s.conjunctive) {
            return lookupConjunctive(s, key, wildcards);
        }
        return firstWins ? lookupFirst(s, key, wildcards) : lookupEarliest(s, key, wildcards);
    }

    /** {@link TieBreak#EARLIEST_INSTALLED}: probe while a subtable can still tie or beat the best so far. */
    @SuppressWarnings("unchecked")
    private Rule<R> lookupEarliest(Snapshot s, long[] key, long[] wildcards) {
        final Subtable<?>[] subs = s.subtables;
        final int[] maxPri = s.maxPriorities;
        Rule<R> best = null;
        int bestPri = Integer.MIN_VALUE;
        for (int i = 0; i < subs.length; i++) {
            if (maxPri[i] < bestPri) {
                break;
            }
            Subtable<R> st = (Subtable<R>) subs[i];
            Rule<R> r = wildcards == null ? st.find(key) : st.findTracking(key, wildcards);
            if (r != null && (best == null || beats(r, best))) {
                best = r;
                bestPri = r.priority();
            }
        }
        return best;
    }

    /** {@link TieBreak#SUBTABLE_ORDER}: stop once no remaining subtable can beat the best so far (OVS). */
    @SuppressWarnings("unchecked")
    private Rule<R> lookupFirst(Snapshot s, long[] key, long[] wildcards) {
        final Subtable<?>[] subs = s.subtables;
        final int[] maxPri = s.maxPriorities;
        Rule<R> best = null;
        int bestPri = Integer.MIN_VALUE;
        for (int i = 0; i < subs.length; i++) {
            if (best != null && maxPri[i] <= bestPri) {
                break;
            }
            Subtable<R> st = (Subtable<R>) subs[i];
            Rule<R> r = wildcards == null ? st.find(key) : st.findTracking(key, wildcards);
            if (r != null && (best == null || r.priority() > bestPri)) {
                best = r;
                bestPri = r.priority();
            }
        }
        return best;
    }

    // ---- Conjunctive matches (OVS classifier_lookup__()). ----

    /** Per-thread working space of {@link #lookupConjunctive}, grown on demand and then reused: no allocation. */
    private static final ThreadLocal<ConjScratch> SCRATCH = ThreadLocal.withInitial(ConjScratch::new);

    /**
     * The soft matches of one lookup (each an entry, the index of its current rule, that rule's clauses), and the
     * conjunctions seen at one priority (id, clause bits), as OVS's {@code soft[]} and {@code matches} hmap.
     */
    private static final class ConjScratch {
        Subtable.Entry<?>[] entries = new Subtable.Entry<?>[16];
        int[] index = new int[16];
        long[][] clauses = new long[16][];
        long[] ids = new long[16];
        long[] bits = new long[16];

        void growSoft() {
            int n = entries.length * 2;
            entries = Arrays.copyOf(entries, n);
            index = Arrays.copyOf(index, n);
            clauses = Arrays.copyOf(clauses, n);
        }

        void growMatches() {
            int n = ids.length * 2;
            ids = Arrays.copyOf(ids, n);
            bits = Arrays.copyOf(bits, n);
        }

        void clear(int nSoft) {
            Arrays.fill(entries, 0, nSoft, null);
            Arrays.fill(clauses, 0, nSoft, null);
        }
    }

    /** Whether {@code r}, of priority above or equal to {@code hardPri}, ranks above {@code hard}. */
    private boolean better(Rule<R> r, Rule<R> hard, int hardPri) {
        return hard == null || (firstWins ? r.priority() > hardPri : beats(r, hard));
    }

    /** Whether no subtable from one of maximum priority {@code maxPri} on can beat {@code hard}. */
    private boolean exhausted(int maxPri, Rule<R> hard, int hardPri) {
        return hard != null && (firstWins ? maxPri <= hardPri : maxPri < hardPri);
    }

    /**
     * OVS {@code classifier_lookup__()} with conjunctive matches allowed. One pass over the subtables keeps the best
     * ordinary ("hard") match and every clause ("soft") match above it. Then, from the highest soft priority down:
     * if the soft matches of that priority cover every clause 1..n of some conjunction (OVS
     * {@code find_conjunctive_match()}, first completed in subtable then action order), the flow {@code conj_id=ID}
     * is looked up with the key's conjunction id set ({@link #lookupHard}); the first such lookup that finds a rule
     * decides. Otherwise those clauses count as absent: each is replaced by the next lower-priority rule with the
     * same match (which may be ordinary, and then competes as a hard match) and the loop goes on while a soft match
     * remains above the hard one.
     */
    @SuppressWarnings("unchecked")
    private Rule<R> lookupConjunctive(Snapshot s, long[] key, long[] wildcards) {
        final Subtable<?>[] subs = s.subtables;
        final int[] maxPri = s.maxPriorities;
        final ConjScratch sc = SCRATCH.get();
        Rule<R> hard = null;
        int hardPri = Integer.MIN_VALUE;
        int nSoft = 0;
        int softPri = Integer.MIN_VALUE;
        for (int i = 0; i < subs.length; i++) {
            if (exhausted(maxPri[i], hard, hardPri)) {
                break;
            }
            Subtable<R> st = (Subtable<R>) subs[i];
            Subtable.Entry<R> e = wildcards == null ? st.findEntry(key) : st.findEntryTracking(key, wildcards);
            if (e == null) {
                continue;
            }
            Rule<R> r = e.head;
            if (r.priority() < hardPri || !better(r, hard, hardPri)) {
                continue;
            }
            long[] cl = conj.clauses().apply(r.payload());
            if (cl == null) {
                hard = r;
                hardPri = r.priority();
            } else {
                if (nSoft == sc.entries.length) {
                    sc.growSoft();
                }
                sc.entries[nSoft] = e;
                sc.index[nSoft] = 0;
                sc.clauses[nSoft] = cl;
                nSoft++;
                softPri = Math.max(softPri, r.priority());
            }
        }
        if (hardPri >= softPri) {
            sc.clear(nSoft);
            return hard;
        }
        final int word = conj.conjIdWord();
        final int shift = conj.conjIdShift();
        final long idMask = 0xffffffffL << shift;
        try {
            for (;;) {
                // Drop the soft matches that are gone or no longer above the hard match.
                for (int i = 0; i < nSoft; ) {
                    if (sc.entries[i] == null || softPriority(sc, i) <= hardPri) {
                        nSoft--;
                        sc.entries[i] = sc.entries[nSoft];
                        sc.index[i] = sc.index[nSoft];
                        sc.clauses[i] = sc.clauses[nSoft];
                        sc.entries[nSoft] = null;
                        sc.clauses[nSoft] = null;
                    } else {
                        i++;
                    }
                }
                if (nSoft == 0) {
                    break;
                }
                softPri = Integer.MIN_VALUE;
                int nSoftPri = 0;
                for (int i = 0; i < nSoft; i++) {
                    int p = softPriority(sc, i);
                    if (p > softPri) {
                        softPri = p;
                        nSoftPri = 1;
                    } else if (p == softPri) {
                        nSoftPri++;
                    }
                }
                int nMatches = 0;
                for (int i = 0; i < nSoft; i++) {
                    if (softPriority(sc, i) != softPri) {
                        continue;
                    }
                    long[] cl = sc.clauses[i];
                    long id = -1;
                    for (long c : cl) {
                        int n = ConjunctionSupport.nClauses(c);
                        if (n > nSoftPri) {
                            continue;
                        }
                        long cid = ConjunctionSupport.id(c);
                        int m = 0;
                        while (m < nMatches && sc.ids[m] != cid) {
                            m++;
                        }
                        if (m == nMatches) {
                            if (nMatches == sc.ids.length) {
                                sc.growMatches();
                            }
                            sc.ids[m] = cid;
                            // As OVS: the bits of clauses n..63 start set; n = 64 shifts by 0 (OVS's own quirk).
                            sc.bits[m] = -1L << (n & 63);
                            nMatches++;
                        }
                        sc.bits[m] |= 1L << ConjunctionSupport.clause(c);
                        if (sc.bits[m] == -1L) {
                            id = cid;
                            break;
                        }
                    }
                    if (id >= 0) {
                        long saved = key[word];
                        key[word] = (saved & ~idMask) | (id << shift);
                        Rule<R> r;
                        try {
                            r = lookupHard(s, key, wildcards);
                        } finally {
                            key[word] = saved;
                        }
                        if (r != null) {
                            return r;
                        }
                    }
                }
                // No conjunction of that priority completed into a flow: look below those clauses.
                for (int i = 0; i < nSoft; i++) {
                    if (softPriority(sc, i) != softPri) {
                        continue;
                    }
                    Subtable.Entry<R> e = (Subtable.Entry<R>) sc.entries[i];
                    int next = sc.index[i] + 1;
                    if (next >= e.rules.length) {
                        sc.entries[i] = null;
                        continue;
                    }
                    Rule<R> r = e.rules[next];
                    long[] cl = conj.clauses().apply(r.payload());
                    if (cl != null) {
                        sc.index[i] = next;
                        sc.clauses[i] = cl;
                    } else {
                        sc.entries[i] = null;
                        if (r.priority() >= hardPri && better(r, hard, hardPri)) {
                            hard = r;
                            hardPri = r.priority();
                        }
                    }
                }
            }
            return hard;
        } finally {
            sc.clear(nSoft);
        }
    }

    private static int softPriority(ConjScratch sc, int i) {
        return sc.entries[i].rules[sc.index[i]].priority();
    }

    /**
     * The best ordinary rule for {@code key}, clauses ignored (OVS {@code classifier_lookup__()} with conjunctive
     * matches not allowed): a subtable whose matching rule is a clause offers nothing.
     */
    @SuppressWarnings("unchecked")
    private Rule<R> lookupHard(Snapshot s, long[] key, long[] wildcards) {
        final Subtable<?>[] subs = s.subtables;
        final int[] maxPri = s.maxPriorities;
        Rule<R> best = null;
        int bestPri = Integer.MIN_VALUE;
        for (int i = 0; i < subs.length; i++) {
            if (exhausted(maxPri[i], best, bestPri)) {
                break;
            }
            Subtable<R> st = (Subtable<R>) subs[i];
            Rule<R> r = wildcards == null ? st.find(key) : st.findTracking(key, wildcards);
            if (r != null && r.priority() >= bestPri && better(r, best, bestPri)
                    && conj.clauses().apply(r.payload()) == null) {
                best = r;
                bestPri = r.priority();
            }
        }
        return best;
    }

    private static boolean beats(Rule<?> r, Rule<?> best) {
        int p = r.priority();
        int q = best.priority();
        return p > q || (p == q && r.installSeq() < best.installSeq());
    }

    // ---- Control thread. ----

    @Override
    public Rule<R> insert(long[] match, long[] mask, int priority, R payload) {
        return insertOwned(match.clone(), mask, priority, payload);
    }

    /**
     * The mask array this classifier already holds for {@code mask}'s value (its subtable's), or {@code mask} itself:
     * a caller that keeps masks beside its rules (a flow table's entries) can share one array per subtable.
     * Control thread.
     */
    public long[] internMask(long[] mask) {
        Subtable<R> st = byMask.get(new MaskKey(mask));
        return st == null ? mask : st.mask;
    }

    /**
     * {@link #insert}, keeping {@code match} as the rule's match when it is already masked, instead of a copy: the
     * caller hands the array over and never changes it again. {@code mask} is copied unless it is the subtable's own
     * ({@link #internMask}).
     */
    Rule<R> insertOwned(long[] match, long[] mask, int priority, R payload) {
        Keys.check(match, keyWords, "match");
        Keys.check(mask, keyWords, "mask");
        announceClause(payload);
        Subtable<R> st = byMask.get(new MaskKey(mask));
        boolean reorder;
        long[] m;
        if (st == null) {
            m = mask.clone();
            st = new Subtable<>(m, stageBoundaries, nextSubtableStamp++);
            byMask.put(new MaskKey(m), st);
            reorder = true;
        } else {
            m = st.mask;
            reorder = priority > st.maxPriority();
        }
        long[] v = Keys.isMasked(match, m) ? match : Keys.and(match, m);
        long[] ckey = st.compress(v);
        int slot = st.indexOf(ckey);
        Rule<R> rule;
        if (slot >= 0) {
            Subtable.Entry<R> e = st.entryAt(slot);
            Rule<R> old = e.withPriority(priority);
            if (old != null) {
                rule = new Rule<>(v, m, priority, old.installSeq(), payload);
                st.setEntry(slot, e.swapped(old, rule));
                clauseRules += clause(payload) - clause(old.payload());
                publish();
                return rule;
            }
            rule = new Rule<>(v, m, priority, nextSeq++, payload);
            st.setEntry(slot, e.with(rule));
        } else {
            rule = new Rule<>(v, m, priority, nextSeq++, payload);
            @SuppressWarnings("unchecked")
            Rule<R>[] one = (Rule<R>[]) new Rule<?>[] {rule};
            st.addEntry(new Subtable.Entry<>(ckey, one, st.hashCompressed(ckey, ckey.length)));
        }
        st.countPriority(priority, 1);
        size++;
        clauseRules += clause(payload);
        if (reorder) {
            current = buildSnapshot();
        }
        publish();
        return rule;
    }

    @Override
    public Rule<R> replacePayload(Rule<R> rule, R payload) {
        Subtable<R> st = byMask.get(new MaskKey(rule.mask()));
        if (st == null) {
            return null;
        }
        int slot = st.indexOf(st.compress(rule.match()));
        if (slot < 0) {
            return null;
        }
        Subtable.Entry<R> e = st.entryAt(slot);
        if (e.withPriority(rule.priority()) != rule) {
            return null;
        }
        announceClause(payload);
        Rule<R> replacement = Rule.withPayload(rule, payload);
        st.setEntry(slot, e.swapped(rule, replacement));
        clauseRules += clause(payload) - clause(rule.payload());
        publish();
        return replacement;
    }

    @Override
    public boolean remove(Rule<R> rule) {
        MaskKey mk = new MaskKey(rule.mask());
        Subtable<R> st = byMask.get(mk);
        if (st == null) {
            return false;
        }
        int slot = st.indexOf(st.compress(rule.match()));
        if (slot < 0) {
            return false;
        }
        Subtable.Entry<R> e = st.entryAt(slot);
        if (e.withPriority(rule.priority()) != rule) {
            return false;
        }
        int oldMax = st.maxPriority();
        if (e.rules.length == 1) {
            st.removeEntry(slot);
        } else {
            st.setEntry(slot, e.without(rule));
        }
        st.countPriority(rule.priority(), -1);
        size--;
        clauseRules -= clause(rule.payload());
        if (st.ruleCount == 0) {
            byMask.remove(mk);
            current = buildSnapshot();
        } else if (st.maxPriority() != oldMax) {
            current = buildSnapshot();
        }
        publish();
        return true;
    }

    @Override
    public Rule<R> findExactly(long[] match, long[] mask, int priority) {
        Subtable<R> st = byMask.get(new MaskKey(mask));
        if (st == null) {
            return null;
        }
        int slot = st.indexOf(st.compress(match));
        return slot < 0 ? null : st.entryAt(slot).withPriority(priority);
    }

    @Override
    public List<Rule<R>> findLoose(long[] match, long[] mask) {
        Keys.check(match, keyWords, "match");
        Keys.check(mask, keyWords, "mask");
        List<Rule<R>> out = new ArrayList<>();
        for (Subtable<R> st : byMask.values()) {
            if (!st.covers(mask)) {
                continue;
            }
            if (Arrays.equals(st.mask, mask)) {
                int slot = st.indexOf(st.compress(match));
                if (slot >= 0) {
                    out.addAll(Arrays.asList(st.entryAt(slot).rules));
                }
            } else {
                st.forEachEntry(e -> {
                    if (st.agrees(e.key, match, mask)) {
                        out.addAll(Arrays.asList(e.rules));
                    }
                });
            }
        }
        return out;
    }

    @Override
    public boolean overlaps(long[] match, long[] mask, int priority) {
        Keys.check(match, keyWords, "match");
        Keys.check(mask, keyWords, "mask");
        for (Subtable<R> st : byMask.values()) {
            if (!st.hasPriority(priority)) {
                continue;
            }
            if (coveredBy(st.mask, mask)) {
                // Every rule here is at most as specific as the target: at most one key can intersect it.
                int slot = st.indexOf(st.compress(match));
                if (slot >= 0 && st.entryAt(slot).withPriority(priority) != null) {
                    return true;
                }
                continue;
            }
            boolean[] found = {false};
            st.forEachEntry(e -> {
                if (!found[0] && st.intersects(e.key, match, mask) && e.withPriority(priority) != null) {
                    found[0] = true;
                }
            });
            if (found[0]) {
                return true;
            }
        }
        return false;
    }

    private static boolean coveredBy(long[] inner, long[] outer) {
        for (int i = 0; i < inner.length; i++) {
            if ((inner[i] & outer[i]) != inner[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public List<Rule<R>> rules() {
        List<Rule<R>> out = new ArrayList<>(size);
        for (Subtable<R> st : byMask.values()) {
            st.collectRules(out);
        }
        return out;
    }

    /**
     * Returns an independent classifier holding the same rules (the same {@link Rule} objects: they are immutable),
     * ranked exactly as here: subtables are rebuilt in their creation order, so ties between equal maxima resolve the
     * same way, and rules keep their install order. Nothing the copy's writer does is seen by this classifier's
     * readers, which is what lets a flow-table transaction prepare a new version of a table off to the side and
     * publish it whole ({@code FlowTables.Transaction}). Control thread. Costs O(rules) hashing, like inserting
     * them all.
     */
    public Classifier<R> copy() {
        Classifier<R> c = new Classifier<>(tieBreak, conj, keyWords, stageBoundaries);
        List<Subtable<R>> subs = new ArrayList<>(byMask.values());
        subs.sort(Comparator.comparingLong(st -> st.stamp));
        List<Rule<R>> rules = new ArrayList<>();
        for (Subtable<R> st : subs) {
            rules.clear();
            st.collectRules(rules);
            for (Rule<R> r : rules) {
                c.adopt(r);
            }
        }
        c.nextSeq = nextSeq;
        c.current = c.buildSnapshot();
        c.publish();
        return c;
    }

    /** Copy only: inserts {@code r} itself (no rule of its match, mask and priority is here yet). No publication. */
    private void adopt(Rule<R> r) {
        MaskKey mk = new MaskKey(r.mask());
        Subtable<R> st = byMask.get(mk);
        if (st == null) {
            st = new Subtable<>(r.mask().clone(), stageBoundaries, nextSubtableStamp++);
            byMask.put(mk, st);
        }
        long[] ckey = st.compress(r.match());
        int slot = st.indexOf(ckey);
        if (slot >= 0) {
            st.setEntry(slot, st.entryAt(slot).with(r));
        } else {
            @SuppressWarnings("unchecked")
            Rule<R>[] one = (Rule<R>[]) new Rule<?>[] {r};
            st.addEntry(new Subtable.Entry<>(ckey, one, st.hashCompressed(ckey, ckey.length)));
        }
        st.countPriority(r.priority(), 1);
        size++;
        clauseRules += clause(r.payload());
    }

    /** @return the number of subtables (distinct masks). Control thread. */
    public int subtableCount() {
        return byMask.size();
    }

    /**
     * Before a clause goes in where there was none: publishes the conjunctive lookup first, so that no lookup on the
     * plain path, which knows nothing of clauses, can meet the new rule and return it.
     */
    private void announceClause(R payload) {
        if (clauseRules == 0 && clause(payload) == 1 && !current.conjunctive) {
            current = new Snapshot(current.subtables, current.maxPriorities, true);
            snapshot = current;
        }
    }

    /** 1 if {@code payload} is a clause of a conjunctive match, else 0. */
    private int clause(R payload) {
        return conj != null && conj.clauses().apply(payload) != null ? 1 : 0;
    }

    /** @return the number of rules that are clauses of conjunctive matches. Control thread. */
    public int clauseCount() {
        return clauseRules;
    }

    private void publish() {
        if (current.conjunctive != (clauseRules > 0)) {
            current = new Snapshot(current.subtables, current.maxPriorities, clauseRules > 0);
        }
        snapshot = current;
    }

    private Snapshot buildSnapshot() {
        List<Subtable<R>> list = new ArrayList<>(byMask.values());
        list.sort(Comparator.comparingInt((Subtable<R> st) -> st.maxPriority()).reversed()
                .thenComparingLong(st -> st.stamp));
        Subtable<?>[] subs = list.toArray(new Subtable<?>[0]);
        int[] maxPri = new int[subs.length];
        for (int i = 0; i < subs.length; i++) {
            maxPri[i] = list.get(i).maxPriority();
        }
        return new Snapshot(subs, maxPri, clauseRules > 0);
    }

    /** The reader's view of the subtable list. Immutable. */
    private static final class Snapshot {
        /** Sorted by {@link #maxPriorities}, descending, then by subtable age (oldest first). */
        final Subtable<?>[] subtables;
        /** The maximum rule priority of each subtable when this snapshot was made. */
        final int[] maxPriorities;
        /** Whether some rule is a clause: lookups then take the conjunctive path, else the plain one. */
        final boolean conjunctive;

        Snapshot(Subtable<?>[] subtables, int[] maxPriorities, boolean conjunctive) {
            this.subtables = subtables;
            this.maxPriorities = maxPriorities;
            this.conjunctive = conjunctive;
        }
    }

    /** A mask as a hash-map key. */
    private static final class MaskKey {
        private final long[] mask;
        private final int hash;

        MaskKey(long[] mask) {
            this.mask = mask;
            this.hash = Arrays.hashCode(mask);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MaskKey && Arrays.equals(mask, ((MaskKey) o).mask);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
