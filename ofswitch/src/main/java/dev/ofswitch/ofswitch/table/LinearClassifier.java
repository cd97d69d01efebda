package dev.ofswitch.ofswitch.table;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference classifier: a list sorted by priority (descending), then install order, scanned from the front. The
 * same semantics as {@link Classifier} with none of its machinery, like the "trivial (linear) classifier"
 * {@code struct tcls} in OVS's {@code tests/test-classifier.c}. Property tests check {@link Classifier} against it.
 *
 * <p>{@link #lookup(long[], long[])} ORs in the mask of every rule it examined up to the winner: every rule ahead of
 * the winner still misses, and the winner still matches, for any key that agrees on those bits.
 *
 * <h2>Thread-safety</h2> None: one thread at a time.
 *
 * @param <R> the payload type
 */
public final class LinearClassifier<R> implements FlowClassifier<R> {
    private final int keyWords;
    /** Sorted by priority descending, then install sequence ascending. */
    private final ArrayList<Rule<R>> rules = new ArrayList<>();
    private long nextSeq;

    /** @param keyWords the key width in 64-bit words */
    public LinearClassifier(int keyWords) {
        if (keyWords <= 0) {
            throw new IllegalArgumentException("keyWords must be positive: " + keyWords);
        }
        this.keyWords = keyWords;
    }

    @Override
    public int keyWords() {
        return keyWords;
    }

    @Override
    public Rule<R> lookup(long[] key) {
        for (Rule<R> r : rules) {
            if (r.matches(key)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public Rule<R> lookup(long[] key, long[] wildcards) {
        for (Rule<R> r : rules) {
            for (int i = 0; i < keyWords; i++) {
                wildcards[i] |= r.maskWord(i);
            }
            if (r.matches(key)) {
                return r;
            }
        }
        return null;
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
