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
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>Exactly one subtable per distinct mask in use; a subtable is dropped with its last rule.
 *   <li>{@code snapshot.subtables} holds every live subtable, sorted by {@code snapshot.maxPriorities}, which is each
 *       subtable's maximum rule priority as of the last publication (see Thread-safety for the window between).
 *   <li>Within an entry, rules have distinct priorities, highest first. No two installed rules have the same match,
 *       mask and priority.
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

    // Writer-only.
    private final HashMap<MaskKey, Subtable<R>> byMask = new HashMap<>();
    private long nextSeq;
    /** Age stamp for the next new subtable: ranks subtables of equal maximum priority. */
    private long nextSubtableStamp;
    private int size;
    /** The snapshot the next publication writes: the current one unless the subtable order changed. */
    private Snapshot current = new Snapshot(NO_SUBTABLES, new int[0]);

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

    @Override
    public Rule<R> lookup(long[] key) {
        final Snapshot s = snapshot;
        return firstWins ? lookupFirst(s, key, null) : lookupEarliest(s, key, null);
    }

    @Override
    public Rule<R> lookup(long[] key, long[] wildcards) {
        final Snapshot s = snapshot;
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
        Rule<R> replacement = Rule.withPayload(rule, payload);
        st.setEntry(slot, e.swapped(rule, replacement));
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
        Classifier<R> c = new Classifier<>(tieBreak, keyWords, stageBoundaries);
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
    }

    /** @return the number of subtables (distinct masks). Control thread. */
    public int subtableCount() {
        return byMask.size();
    }

    private void publish() {
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
        return new Snapshot(subs, maxPri);
    }

    /** The reader's view of the subtable list. Immutable. */
    private static final class Snapshot {
        /** Sorted by {@link #maxPriorities}, descending, then by subtable age (oldest first). */
        final Subtable<?>[] subtables;
        /** The maximum rule priority of each subtable when this snapshot was made. */
        final int[] maxPriorities;

        Snapshot(Subtable<?>[] subtables, int[] maxPriorities) {
            this.subtables = subtables;
            this.maxPriorities = maxPriorities;
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
