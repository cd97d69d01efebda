package dev.ofswitch.ofswitch.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The rules of one mask (OVS's {@code struct cls_subtable}): a hash table from the masked key to an {@link Entry},
 * plus one hash set per lookup stage but the last, holding the hashes of the stage prefixes of the rules' keys.
 *
 * <h2>Layout</h2> Only the words the mask uses take part: {@link #words} lists their indexes and {@link #maskWords}
 * their masks, so a subtable on three words of a sixteen-word key hashes and compares three words (OVS's miniflow /
 * minimask do the same). An entry stores its key compressed the same way. {@link #stageEnds} cuts {@link #words} into
 * the classifier's stages, leaving out stages this mask does not touch.
 *
 * <h2>Hash</h2> {@code acc = sum of (key[words[i]] & maskWords[i]) * mults[i]} over the words, then
 * {@link #finish(long)}. The products are independent, so the CPU overlaps them; a stage hash is {@code finish} of the
 * partial sum, so the staged lookup computes each product once. {@code finish} sets the top bit: 0 ({@link #EMPTY})
 * and 1 ({@link #TOMB}) are never hashes.
 *
 * <h2>Tables and their invariants</h2> Open addressing with linear probing; {@code hashes[i]} is {@link #EMPTY},
 * {@link #TOMB} or the hash of {@code entries[i]}. <b>A slot goes EMPTY → hash → TOMB and never back within one
 * {@link Table}</b>: removal leaves a tombstone, insertion takes an EMPTY slot only, and the writer makes a fresh table
 * (a rehash) when live entries plus tombstones would pass 1/2 of the slots. So a reader never sees a probe chain cut
 * short by a move, at least half the slots are always EMPTY (every probe ends), and the key behind a hash it read is
 * the one that hash was computed from (entry keys are immutable). The stage sets follow the same rules, with a
 * writer-side count per hash (how many entries share that stage prefix).
 *
 * <h2>Thread-safety</h2> Fields marked "reader-visible" are read by datapath threads without synchronization and
 * written only by the classifier's writer; {@link Classifier} explains why the races are benign. Fields marked
 * "writer-only" are confined to the writer.
 */
final class Subtable<R> {
    static final int EMPTY = 0;
    static final int TOMB = 1;
    private static final int HASH_BIT = 0x8000_0000;
    private static final int MIN_CAPACITY = 8;
    /**
     * A table is rebuilt when live entries plus tombstones would pass half its slots, into one at most a quarter full:
     * 1/4 to 1/2 full keeps a linear-probing miss (most lookups miss most subtables) to 1.4–2.5 slots.
     */
    private static final int MAX_USED_NUM = 1;
    private static final int MAX_USED_DEN = 2;
    private static final int REHASH_SLOTS_PER_ENTRY = 4;

    // Immutable after construction.
    final long[] mask;
    /** Creation order among the classifier's subtables; ranks subtables of equal maximum priority. */
    final long stamp;
    /** Indexes of the key words this mask uses, ascending. */
    final int[] words;
    /** {@code mask[words[i]]}. */
    final long[] maskWords;
    /** Odd multipliers, one per used word, derived from the word's index. */
    final long[] mults;
    /** End (exclusive, in positions of {@link #words}) of each non-empty stage; the last is {@code words.length}. */
    final int[] stageEnds;

    // Reader-visible; replaced or mutated by the writer only.
    Table<R> table;
    /** One set per stage but the last. Elements are replaced on rehash. */
    final StageSet[] stageSets;

    // Writer-only.
    /** Rule count by priority: the subtable's maximum priority is the last key. */
    private final TreeMap<Integer, Integer> priorityCounts = new TreeMap<>();
    int ruleCount;

    Subtable(long[] mask, int[] stageBoundaries, long stamp) {
        this.mask = mask;
        this.stamp = stamp;
        int n = 0;
        for (long m : mask) {
            if (m != 0) {
                n++;
            }
        }
        words = new int[n];
        maskWords = new long[n];
        mults = new long[n];
        for (int i = 0, j = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                words[j] = i;
                maskWords[j] = mask[i];
                mults[j] = multiplier(i);
                j++;
            }
        }
        int[] ends = new int[stageBoundaries.length + 1];
        int nStages = 0;
        int prev = 0;
        for (int b : stageBoundaries) {
            int pos = 0;
            while (pos < n && words[pos] < b) {
                pos++;
            }
            if (pos > prev && pos < n) {
                ends[nStages++] = pos;
                prev = pos;
            }
        }
        ends[nStages++] = n;
        stageEnds = Arrays.copyOf(ends, nStages);
        stageSets = new StageSet[nStages - 1];
        for (int s = 0; s < stageSets.length; s++) {
            stageSets[s] = new StageSet(MIN_CAPACITY);
        }
        table = new Table<>(MIN_CAPACITY);
    }

    /** A fixed odd constant per key word index (SplitMix64 of the index). */
    static long multiplier(int wordIndex) {
        long z = (wordIndex + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) | 1L;
    }

    static int finish(long acc) {
        long x = (acc ^ (acc >>> 32)) * 0xD6E8FEB86659FD93L;
        return (int) (x >>> 32) | HASH_BIT;
    }

    // ---- Datapath (any thread). ----

    /** One hash over all the mask's words and one probe; returns the highest-priority rule of the entry, or null. */
    Rule<R> find(long[] key) {
        Entry<R> e = findEntry(key);
        return e == null ? null : e.head;
    }

    /** As {@link #find}, but the whole entry: every rule with the key's masked value, highest priority first. */
    Entry<R> findEntry(long[] key) {
        final int[] w = words;
        final long[] m = maskWords;
        final long[] k = mults;
        long acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += (key[w[i]] & m[i]) * k[i];
        }
        return probe(key, finish(acc));
    }

    /**
     * The staged lookup (OVS {@code find_match_wc()}): hash stage by stage and give up at the first stage whose prefix
     * no rule has. ORs into {@code wc} the masks of the stages consulted: all of them on a hit or a final-stage miss,
     * those up to the failing stage otherwise.
     */
    Rule<R> findTracking(long[] key, long[] wc) {
        Entry<R> e = findEntryTracking(key, wc);
        return e == null ? null : e.head;
    }

    /** As {@link #findTracking}, but the whole entry. */
    Entry<R> findEntryTracking(long[] key, long[] wc) {
        final int[] w = words;
        final long[] m = maskWords;
        final long[] k = mults;
        final int[] ends = stageEnds;
        final int last = ends.length - 1;
        long acc = 0;
        int i = 0;
        for (int s = 0; s < last; s++) {
            int end = ends[s];
            for (; i < end; i++) {
                acc += (key[w[i]] & m[i]) * k[i];
            }
            if (!stageSets[s].contains(finish(acc))) {
                unwildcard(wc, end);
                return null;
            }
        }
        for (; i < w.length; i++) {
            acc += (key[w[i]] & m[i]) * k[i];
        }
        unwildcard(wc, w.length);
        return probe(key, finish(acc));
    }

    private void unwildcard(long[] wc, int end) {
        final int[] w = words;
        final long[] m = maskWords;
        for (int i = 0; i < end; i++) {
            wc[w[i]] |= m[i];
        }
    }

    private Entry<R> probe(long[] key, int h) {
        final Table<R> t = table;
        final int[] hs = t.hashes;
        final int mask = t.mask;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int x = hs[i];
            if (x == h) {
                Entry<R> e = t.entries[i];
                if (e != null && e.matches(key, words, maskWords)) {
                    return e;
                }
            } else if (x == EMPTY) {
                return null;
            }
        }
    }

    // ---- Writer (control thread). ----

    int maxPriority() {
        return priorityCounts.lastKey();
    }

    boolean hasPriority(int priority) {
        return priorityCounts.containsKey(priority);
    }

    void countPriority(int priority, int delta) {
        int c = priorityCounts.getOrDefault(priority, 0) + delta;
        if (c == 0) {
            priorityCounts.remove(priority);
        } else {
            priorityCounts.put(priority, c);
        }
        ruleCount += delta;
    }

    /** The compressed masked key of a full match value. */
    long[] compress(long[] match) {
        long[] c = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            c[i] = match[words[i]] & maskWords[i];
        }
        return c;
    }

    int hashCompressed(long[] ckey, int end) {
        long acc = 0;
        for (int i = 0; i < end; i++) {
            acc += ckey[i] * mults[i];
        }
        return finish(acc);
    }

    /** @return the slot of the entry with compressed key {@code ckey} in the current table, or -1 */
    int indexOf(long[] ckey) {
        return table.indexOf(ckey, hashCompressed(ckey, ckey.length));
    }

    Entry<R> entryAt(int slot) {
        return table.entries[slot];
    }

    /** Replaces the entry at {@code slot} (same key) with one reference store: readers see the old or the new. */
    void setEntry(int slot, Entry<R> e) {
        table.entries[slot] = e;
    }

    /** Adds a new entry: stage prefixes first, then the entry, so a published entry is never hidden by a stage. */
    void addEntry(Entry<R> e) {
        for (int s = 0; s < stageSets.length; s++) {
            StageSet set = stageSets[s];
            int h = hashCompressed(e.key, stageEnds[s]);
            if (!set.increment(h)) {
                set = set.rehashed(set.live + 1);
                set.increment(h);
                stageSets[s] = set;
            }
        }
        Table<R> t = table;
        if (!t.add(e)) {
            t = t.rehashed(t.live + 1);
            t.add(e);
            table = t;
        }
    }

    /** Removes the entry at {@code slot}: the entry first, then its stage prefixes. */
    void removeEntry(int slot) {
        Entry<R> e = table.entries[slot];
        table.remove(slot);
        for (int s = 0; s < stageSets.length; s++) {
            stageSets[s].decrement(hashCompressed(e.key, stageEnds[s]));
        }
    }

    /** Calls {@code action} for every live entry. */
    void forEachEntry(java.util.function.Consumer<Entry<R>> action) {
        Table<R> t = table;
        for (int i = 0; i < t.hashes.length; i++) {
            Entry<R> e = t.entries[i];
            if (e != null && t.hashes[i] != TOMB) {
                action.accept(e);
            }
        }
    }

    void collectRules(List<Rule<R>> out) {
        forEachEntry(e -> out.addAll(Arrays.asList(e.rules)));
    }

    /** @return whether this mask has every bit of {@code other} */
    boolean covers(long[] other) {
        for (int i = 0; i < mask.length; i++) {
            if ((mask[i] & other[i]) != other[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether entry key {@code ckey} agrees with {@code match} on the bits of {@code otherMask}, which this
     *     subtable's mask must cover
     */
    boolean agrees(long[] ckey, long[] match, long[] otherMask) {
        for (int i = 0; i < words.length; i++) {
            int w = words[i];
            if (((ckey[i] ^ match[w]) & otherMask[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return whether some packet matches both entry key {@code ckey} and ({@code match}, {@code otherMask}) */
    boolean intersects(long[] ckey, long[] match, long[] otherMask) {
        for (int i = 0; i < words.length; i++) {
            int w = words[i];
            if (((ckey[i] ^ match[w]) & otherMask[w] & maskWords[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * All the rules with one masked key, highest priority first (OVS keeps them on a list hanging off the head
     * {@code cls_match}). Immutable: a change makes a new entry.
     */
    static final class Entry<R> {
        final long[] key;
        final Rule<R> head;
        final Rule<R>[] rules;
        final int hash;

        Entry(long[] key, Rule<R>[] rules, int hash) {
            this.key = key;
            this.rules = rules;
            this.head = rules[0];
            this.hash = hash;
        }

        boolean matches(long[] fullKey, int[] words, long[] maskWords) {
            final long[] k = key;
            for (int i = 0; i < k.length; i++) {
                if (k[i] != (fullKey[words[i]] & maskWords[i])) {
                    return false;
                }
            }
            return true;
        }

        /** @return the rule of priority {@code priority}, or null */
        Rule<R> withPriority(int priority) {
            for (Rule<R> r : rules) {
                if (r.priority() == priority) {
                    return r;
                }
            }
            return null;
        }

        /** @return a new entry with {@code rule} added, or replacing the rule of equal priority */
        Entry<R> with(Rule<R> rule) {
            int n = rules.length;
            List<Rule<R>> list = new ArrayList<>(n + 1);
            boolean placed = false;
            for (Rule<R> r : rules) {
                if (!placed && r.priority() <= rule.priority()) {
                    list.add(rule);
                    placed = true;
                    if (r.priority() == rule.priority()) {
                        continue;
                    }
                }
                list.add(r);
            }
            if (!placed) {
                list.add(rule);
            }
            return new Entry<>(key, toArray(list), hash);
        }

        /** @return a new entry without {@code rule} (which must be present and not alone) */
        Entry<R> without(Rule<R> rule) {
            List<Rule<R>> list = new ArrayList<>(rules.length);
            for (Rule<R> r : rules) {
                if (r != rule) {
                    list.add(r);
                }
            }
            return new Entry<>(key, toArray(list), hash);
        }

        /** @return a new entry with {@code old} swapped for {@code replacement} (same priority) */
        Entry<R> swapped(Rule<R> old, Rule<R> replacement) {
            Rule<R>[] copy = rules.clone();
            for (int i = 0; i < copy.length; i++) {
                if (copy[i] == old) {
                    copy[i] = replacement;
                }
            }
            return new Entry<>(key, copy, hash);
        }

        @SuppressWarnings("unchecked")
        private static <R> Rule<R>[] toArray(List<Rule<R>> list) {
            return (Rule<R>[]) list.toArray(new Rule<?>[0]);
        }
    }

    /** The final-stage hash table. See the class comment for its invariants. */
    static final class Table<R> {
        final int[] hashes;
        final Entry<R>[] entries;
        final int mask;
        // Writer-only.
        /** Non-EMPTY slots (live entries plus tombstones). */
        private int used;
        int live;

        @SuppressWarnings("unchecked")
        Table(int capacity) {
            hashes = new int[capacity];
            entries = (Entry<R>[]) new Entry<?>[capacity];
            mask = capacity - 1;
        }

        int indexOf(long[] ckey, int h) {
            for (int i = h & mask; ; i = (i + 1) & mask) {
                int x = hashes[i];
                if (x == h && Arrays.equals(entries[i].key, ckey)) {
                    return i;
                } else if (x == EMPTY) {
                    return -1;
                }
            }
        }

        /** @return false, changing nothing, if the table must be rehashed first */
        boolean add(Entry<R> e) {
            if ((used + 1L) * MAX_USED_DEN > (long) hashes.length * MAX_USED_NUM) {
                return false;
            }
            int i = e.hash & mask;
            while (hashes[i] != EMPTY) {
                i = (i + 1) & mask;
            }
            entries[i] = e;
            hashes[i] = e.hash;
            used++;
            live++;
            return true;
        }

        void remove(int slot) {
            hashes[slot] = TOMB;
            entries[slot] = null;
            live--;
        }

        /** @return a fresh table holding the live entries, sized for {@code liveTarget} at most 1/4 full */
        Table<R> rehashed(int liveTarget) {
            int cap = MIN_CAPACITY;
            while (cap < liveTarget * REHASH_SLOTS_PER_ENTRY) {
                cap <<= 1;
            }
            Table<R> t = new Table<>(cap);
            for (int i = 0; i < hashes.length; i++) {
                if (hashes[i] != EMPTY && hashes[i] != TOMB) {
                    t.add(entries[i]);
                }
            }
            return t;
        }
    }

    /** A set of stage-prefix hashes with writer-side reference counts. Same invariants as {@link Table}. */
    static final class StageSet {
        final int[] hashes;
        final int mask;
        // Writer-only.
        private final int[] counts;
        private int used;
        int live;

        StageSet(int capacity) {
            hashes = new int[capacity];
            counts = new int[capacity];
            mask = capacity - 1;
        }

        boolean contains(int h) {
            final int[] hs = hashes;
            final int m = mask;
            for (int i = h & m; ; i = (i + 1) & m) {
                int x = hs[i];
                if (x == h) {
                    return true;
                } else if (x == EMPTY) {
                    return false;
                }
            }
        }

        /** Counts one more user of {@code h}; @return false, changing nothing, if a rehash is needed first */
        boolean increment(int h) {
            int free = -1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                int x = hashes[i];
                if (x == h) {
                    counts[i]++;
                    return true;
                } else if (x == EMPTY) {
                    free = i;
                    break;
                }
            }
            if ((used + 1L) * MAX_USED_DEN > (long) hashes.length * MAX_USED_NUM) {
                return false;
            }
            counts[free] = 1;
            hashes[free] = h;
            used++;
            live++;
            return true;
        }

        void decrement(int h) {
            for (int i = h & mask; ; i = (i + 1) & mask) {
                int x = hashes[i];
                if (x == h) {
                    if (--counts[i] == 0) {
                        hashes[i] = TOMB;
                        live--;
                    }
                    return;
                } else if (x == EMPTY) {
                    throw new IllegalStateException("stage hash not found");
                }
            }
        }

        StageSet rehashed(int liveTarget) {
            int cap = MIN_CAPACITY;
            while (cap < liveTarget * REHASH_SLOTS_PER_ENTRY) {
                cap <<= 1;
            }
            StageSet s = new StageSet(cap);
            for (int i = 0; i < hashes.length; i++) {
                int x = hashes[i];
                if (x != EMPTY && x != TOMB) {
                    int j = x & s.mask;
                    while (s.hashes[j] != EMPTY) {
                        j = (j + 1) & s.mask;
                    }
                    s.hashes[j] = x;
                    s.counts[j] = counts[i];
                    s.used++;
                    s.live++;
                }
            }
            return s;
        }
    }
}
