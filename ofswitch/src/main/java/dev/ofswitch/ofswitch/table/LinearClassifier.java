package dev.ofswitch.ofswitch.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The reference classifier: a list sorted by priority (descending), then install order, scanned from the front. The
 * same semantics as {@link Classifier} with none of its machinery, like the "trivial (linear) classifier"
 * {@code struct tcls} in OVS's {@code tests/test-classifier.c}. Property tests check {@link Classifier} against it.
 *
 * <p>Ties: with {@link TieBreak#EARLIEST_INSTALLED} the list order already settles them. With
 * {@link TieBreak#SUBTABLE_ORDER} a lookup collects the matching rules of the top priority and ranks them as
 * {@link Classifier} ranks its subtables: by the highest priority among all rules of the same mask, then by the age of
 * that mask group (when it last went from no rules to one).
 *
 * <p>{@link #lookup(long[], long[])} ORs in the mask of every rule it examined: every rule ahead of the winner still
 * misses, and the winner and its tying rivals still match, for any key that agrees on those bits.
 *
 * <h2>Thread-safety</h2> None: one thread at a time.
 *
 * @param <R> the payload type
 */
public final class LinearClassifier<R> implements FlowClassifier<R> {
    private final int keyWords;
    private final TieBreak tieBreak;
    /** Sorted by priority descending, then install sequence ascending. */
    private final ArrayList<Rule<R>> rules = new ArrayList<>();
    /** Per mask in use: {rule count, age stamp}. */
    private final HashMap<List<Long>, long[]> maskGroups = new HashMap<>();
    private long nextSeq;
    private long nextStamp;

    /** @param keyWords the key width in 64-bit words; ties go to the earliest installed rule */
    public LinearClassifier(int keyWords) {
        this(TieBreak.EARLIEST_INSTALLED, keyWords);
    }

    /**
     * @param tieBreak how equal-priority matches are ranked
     * @param keyWords the key width in 64-bit words
     */
    public LinearClassifier(TieBreak tieBreak, int keyWords) {
        if (keyWords <= 0) {
            throw new IllegalArgumentException("keyWords must be positive: " + keyWords);
        }
        this.keyWords = keyWords;
        this.tieBreak = tieBreak;
    }

    @Override
    public int keyWords() {
        return keyWords;
    }

    @Override
    public Rule<R> lookup(long[] key) {
        return lookup(key, new long[keyWords]);
    }

    @Override
    public Rule<R> lookup(long[] key, long[] wildcards) {
        Rule<R> best = null;
        for (Rule<R> r : rules) {
            if (best != null && r.priority() < best.priority()) {
                break;
            }
            for (int i = 0; i < keyWords; i++) {
                wildcards[i] |= r.maskWord(i);
            }
            if (r.matches(key)) {
                if (tieBreak == TieBreak.EARLIEST_INSTALLED) {
                    return r;
                }
                if (best == null || ranksBefore(r, best)) {
                    best = r;
                }
            }
        }
        return best;
    }

    /** {@link TieBreak#SUBTABLE_ORDER} between two equal-priority rules of different masks. */
    private boolean ranksBefore(Rule<R> a, Rule<R> b) {
        int ma = maxPriority(a);
        int mb = maxPriority(b);
        if (ma != mb) {
            return ma > mb;
        }
        return maskGroups.get(maskKey(a.mask()))[1] < maskGroups.get(maskKey(b.mask()))[1];
    }

    private int maxPriority(Rule<R> of) {
        long[] mask = of.mask();
        for (Rule<R> r : rules) {
            if (Arrays.equals(r.mask(), mask)) {
                return r.priority();
            }
        }
        throw new IllegalStateException("rule not installed: " + of);
    }

    private static List<Long> maskKey(long[] mask) {
        List<Long> key = new ArrayList<>(mask.length);
        for (long m : mask) {
            key.add(m);
        }
        return key;
    }

    @Override
    public Rule<R> insert(long[] match, long[] mask, int priority, R payload) {
        Keys.check(match, keyWords, "match");
        Keys.check(mask, keyWords, "mask");
        long[] m = mask.clone();
        long[] v = Keys.and(match, m);
        for (int i = 0; i < rules.size(); i++) {
            Rule<R> r = rules.get(i);
            if (r.sameMatch(v, m, priority)) {
                Rule<R> replacement = new Rule<>(v, m, priority, r.installSeq(), payload);
                rules.set(i, replacement);
                return replacement;
            }
        }
        Rule<R> rule = new Rule<>(v, m, priority, nextSeq++, payload);
        long[] group = maskGroups.computeIfAbsent(maskKey(m), k -> new long[] {0, nextStamp++});
        group[0]++;
        int pos = 0;
        while (pos < rules.size() && rules.get(pos).priority() >= priority) {
            pos++;
        }
        rules.add(pos, rule);
        return rule;
    }

    @Override
    public Rule<R> replacePayload(Rule<R> rule, R payload) {
        int i = rules.indexOf(rule);
        if (i < 0) {
            return null;
        }
        Rule<R> replacement = Rule.withPayload(rule, payload);
        rules.set(i, replacement);
        return replacement;
    }

    @Override
    public boolean remove(Rule<R> rule) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i) == rule) {
                rules.remove(i);
                List<Long> mk = maskKey(rule.mask());
                if (--maskGroups.get(mk)[0] == 0) {
                    maskGroups.remove(mk);
                }
                return true;
            }
        }
        return false;
    }

    @Override
    public Rule<R> findExactly(long[] match, long[] mask, int priority) {
        for (Rule<R> r : rules) {
            if (r.sameMatch(match, mask, priority)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public List<Rule<R>> findLoose(long[] match, long[] mask) {
        List<Rule<R>> out = new ArrayList<>();
        for (Rule<R> r : rules) {
            if (r.isLooseMatchOf(match, mask)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public boolean overlaps(long[] match, long[] mask, int priority) {
        for (Rule<R> r : rules) {
            if (r.priority() == priority && r.intersects(match, mask)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return rules.size();
    }

    @Override
    public List<Rule<R>> rules() {
        return new ArrayList<>(rules);
    }
}
