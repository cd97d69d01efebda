package dev.ofswitch.bench;

import dev.ofswitch.ofswitch.table.Classifier;
import dev.ofswitch.ofswitch.table.TieBreak;

/**
 * The workload of OVS's {@code ovstest test-classifier benchmark} ({@code tests/test-classifier.c},
 * {@code benchmark()}), rebuilt on our {@link Classifier} with the same pseudo-random sequence, so that the rules, the
 * lookup flows and the hit counts are OVS's own.
 *
 * <h2>The 13 fields and their key layout</h2> The fields are OVS's {@code CLS_FIELDS}, in that order (the order gives
 * each field its bit in a rule's value pattern and wildcard pattern), each with OVS's two values. The key is
 * {@value #KEY_WORDS} words, laid out in the order of OVS's {@code struct flow} stages so that the classifier's four
 * stages are metadata (words 0–2), L2 (3–4), L3 (5–6) and L4 (7):
 *
 * <pre>
 * word 0  tun_id                         word 4  dl_type(16) | dl_src(48)
 * word 1  metadata                       word 5  nw_src(32) | nw_dst(32)
 * word 2  in_port (low 16 bits)          word 6  nw_proto(8) &lt;&lt; 8 | nw_tos(8), mask 0xfc on the DSCP bits
 * word 3  vlan_tci(16) | dl_dst(48)      word 7  tp_src(16) &lt;&lt; 16 | tp_dst(16)
 * </pre>
 *
 * <h2>What OVS's benchmark really does (read before comparing)</h2>
 *
 * <ol>
 *   <li>{@code random_set_seed(1)}; pick {@code n_subtables} distinct random 13-bit wildcard patterns; priorities
 *       {@code i * 129} for {@code i < n_priorities}, shuffled.
 *   <li>8 192 lookup flows, each {@code random_range(4096)} decoded field by field ({@code get_value()}); the 13th
 *       field (DSCP) always gets its first value, because 4096 only covers 12 fields.
 *   <li>{@code n_rules} times: a random priority, a random pattern from step 1, a random 13-bit value pattern;
 *       {@code make_rule()}; skipped if {@code classifier_find_rule_exactly()} finds it.
 *   <li>Each of {@code n_threads} threads re-seeds its own generator with 1 and looks up
 *       {@code flows[random_range(8192)]} {@code n_lookups} times, with or without a wildcard mask.
 * </ol>
 *
 * <p><b>{@code make_rule()} ignores its wildcard argument</b> in the current
 * {@code tests/test-classifier.c} (the versions we read from about 2010 on do the same; the original 2009 one
 * honoured it, and the benchmark only came in 2015): it sets the value and an all-ones mask for all 13 fields whatever the pattern, and uses the
 * pattern only to choose the priority ({@code wc_fields ? priority : 0}). Every rule therefore lands in <em>one</em>
 * subtable, exact on all 13 fields, and {@code n_subtables} only changes the random sequence. This is what the
 * figures in {@code shared/notes/ovs-conntrack.md} §4.3 measured; it explains their ~11.7 % hit rate (half the rules
 * have the DSCP value no lookup flow has) and why 1 and 30 "subtables" time the same. {@link Mode#OVS} reproduces it.
 *
 * <p>The rules and flows are OVS's in kind but not bit for bit: while OVS inserts the rules, its {@code cmap} and
 * {@code ccmap} draw new hash bases from the same per-thread generator whenever they are created, grow or hit a
 * cuckoo-insert failure, which shifts the value patterns of the rules drawn after; the failures depend on OVS's hash
 * values, so we do not mirror those draws. The hit rate is the same in distribution (about 11–12 %).
 *
 * <p>{@link Mode#MASKED} honours the patterns (a field whose bit is set is wildcarded), giving the {@code n_subtables} masks the benchmark's help text describes; it is our extension, for a
 * harder multi-subtable workload, and has no OVS figure to compare with.
 */
final class ClassifierWorkload {
    static final int KEY_WORDS = 8;
    /** Stage boundaries: metadata | L2 | L3 | L4. */
    static final int[] STAGES = {3, 5, 7};
    static final int N_FIELDS = 13;
    /** {@code N_FLOW_VALUES}: 2^12, since OVS's product leaves out the metadata field. */
    static final int N_FLOW_VALUES = 4096;
    static final int N_LOOKUP_FLOWS = 2 * N_FLOW_VALUES;

    // Field indexes, in OVS's CLS_FIELDS order.
    static final int TUN_ID = 0;
    static final int METADATA = 1;
    static final int NW_SRC = 2;
    static final int NW_DST = 3;
    static final int IN_PORT = 4;
    static final int VLAN_TCI = 5;
    static final int DL_TYPE = 6;
    static final int TP_SRC = 7;
    static final int TP_DST = 8;
    static final int DL_SRC = 9;
    static final int DL_DST = 10;
    static final int NW_PROTO = 11;
    static final int NW_DSCP = 12;

    /** Word of each field. */
    static final int[] WORD = {0, 1, 5, 5, 2, 3, 4, 7, 7, 4, 3, 6, 6};
    /** Left shift of each field within its word. */
    static final int[] SHIFT = {0, 0, 32, 0, 0, 48, 48, 16, 0, 0, 0, 8, 0};
    /** Mask of each field, before the shift. */
    static final long[] FIELD_MASK = {
        -1L, -1L, 0xffff_ffffL, 0xffff_ffffL, 0xffffL, 0xffffL, 0xffffL, 0xffffL, 0xffffL,
        0xffff_ffff_ffffL, 0xffff_ffff_ffffL, 0xffL, 0xfcL};
    /** OVS's two values of each field ({@code nw_src_values} ... {@code nw_dscp_values}). */
    static final long[][] VALUES = {
        {0L, 0xfedcba9876543210L},
        {0L, 0xfedcba9876543210L},
        {0xc0a80001L, 0xc0a04455L},
        {0xc0a80002L, 0xc0a04455L},
        {1L, 0xfffeL}, // OFPP_LOCAL
        {101L, 0L},
        {0x0800L, 0x0806L},
        {49362L, 80L},
        {6667L, 22L},
        {0x0002e30f80a4L, 0x5e337f5f1e99L},
        {0x4a2771ae64c1L, 0xffffffffffffL},
        {6L, 1L},
        {48L, 0L},
    };
    /** The order in which OVS's lookup-flow loop decodes {@code x} with {@code get_value()}. */
    static final int[] LOOKUP_DECODE_ORDER = {
        NW_SRC, NW_DST, TUN_ID, METADATA, IN_PORT, VLAN_TCI, DL_TYPE, TP_SRC, TP_DST, DL_SRC, DL_DST, NW_PROTO,
        NW_DSCP};

    /** Which rules to build; see the class comment. */
    enum Mode {
        /** OVS's benchmark as it runs: every rule exact on all 13 fields. */
        OVS,
        /** The wildcard patterns applied: up to {@code n_subtables} masks. */
        MASKED
    }

    final Classifier<Integer> classifier;
    final long[][] lookupFlows;
    final int rulesInstalled;

    ClassifierWorkload(int nRules, int nPriorities, int nSubtables, Mode mode, TieBreak ties) {
        OvsRandom rnd = new OvsRandom(1);
        int[] wcfs = new int[nSubtables];
        for (int i = 0; i < nSubtables; i++) {
            int w;
            do {
                w = rnd.nextInt() & ((1 << N_FIELDS) - 1);
            } while (contains(wcfs, i, w));
            wcfs[i] = w;
        }
        int[] priorities = new int[nPriorities];
        for (int i = 0; i < nPriorities; i++) {
            priorities[i] = (i * 129) & Integer.MAX_VALUE;
        }
        // OVS shuffle(): for (; n > 1; n--, p++) swap(*p, p[random_range(n)]).
        for (int p = 0, n = nPriorities; n > 1; n--, p++) {
            int q = p + rnd.range(n);
            int t = priorities[p];
            priorities[p] = priorities[q];
            priorities[q] = t;
        }

        classifier = new Classifier<>(ties, KEY_WORDS, STAGES);
        lookupFlows = new long[N_LOOKUP_FLOWS][];
        for (int i = 0; i < N_LOOKUP_FLOWS; i++) {
            int x = rnd.range(N_FLOW_VALUES);
            long[] flow = new long[KEY_WORDS];
            for (int f : LOOKUP_DECODE_ORDER) {
                set(flow, f, VALUES[f][x % 2]);
                x /= 2;
            }
            lookupFlows[i] = flow;
        }

        int installed = 0;
        for (int i = 0; i < nRules; i++) {
            int priority = priorities[rnd.range(nPriorities)];
            int wcf = wcfs[rnd.range(nSubtables)];
            int valuePat = rnd.nextInt() & ((1 << N_FIELDS) - 1);
            long[] match = new long[KEY_WORDS];
            long[] mask = new long[KEY_WORDS];
            for (int f = 0; f < N_FIELDS; f++) {
                if (mode == Mode.MASKED && (wcf & (1 << f)) != 0) {
                    continue;
                }
                set(match, f, VALUES[f][(valuePat >>> f) & 1]);
                mask[WORD[f]] |= FIELD_MASK[f] << SHIFT[f];
            }
            int rulePriority = wcf != 0 ? priority : 0;
            if (classifier.findExactly(match, mask, rulePriority) == null) {
                classifier.insert(match, mask, rulePriority, i);
                installed++;
            }
        }
        rulesInstalled = installed;
    }

    private static void set(long[] key, int field, long value) {
        key[WORD[field]] |= (value & FIELD_MASK[field]) << SHIFT[field];
    }

    private static boolean contains(int[] array, int n, int value) {
        for (int i = 0; i < n; i++) {
            if (array[i] == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * OVS's {@code lib/random.c}: Marsaglia's xorshift32 on a per-thread seed; {@code random_range(max)} is
     * {@code random_uint32() % max}. Not thread-safe: one per thread, as OVS's seed is per thread.
     */
    static final class OvsRandom {
        private int seed;

        OvsRandom(int seed) {
            this.seed = seed;
        }

        int nextInt() {
            int s = seed;
            s ^= s << 13;
            s ^= s >>> 17;
            s ^= s << 5;
            seed = s;
            return s;
        }

        int range(int max) {
            return (int) (Integer.toUnsignedLong(nextInt()) % max);
        }
    }
}
