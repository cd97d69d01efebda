package dev.ofswitch.ofswitch.table;

import java.util.Arrays;

/**
 * One classifier rule: a match value, a mask, a priority and the caller's payload (for a flow table, the compiled
 * flow entry). A packet key {@code k} matches when {@code (k[i] & mask[i]) == match[i]} for every word {@code i}.
 *
 * <p>The match is stored normalized, {@code match & mask}: value bits outside the mask are dropped (as OVS's
 * {@code cls_rule_init()} does; rejecting such a FLOW_MOD with {@code OFPBMC_BAD_WILDCARDS} is the translator's job).
 *
 * <h2>Thread-safety</h2> Immutable, and every field is final, so a rule read by a datapath thread through a data race
 * is still seen fully constructed, payload included as it was when the rule was made (JLS 17.5). Changing the payload
 * means making a new rule ({@link FlowClassifier#replacePayload}); anything the payload mutates later (counters) is
 * the payload's own business.
 *
 * @param <R> the payload type
 */
public final class Rule<R> {
    private final long[] match;
    private final long[] mask;
    private final int priority;
    /** Install order, for identical-priority ties: the smaller wins. A replacement inherits it. */
    private final long seq;
    private final R payload;

    Rule(long[] normalizedMatch, long[] mask, int priority, long seq, R payload) {
        this.match = normalizedMatch;
        this.mask = mask;
        this.priority = priority;
        this.seq = seq;
        this.payload = payload;
    }

    /** Returns a copy of {@code rule} with another payload; match, mask, priority and install order are kept. */
    static <R> Rule<R> withPayload(Rule<R> rule, R payload) {
        return new Rule<>(rule.match, rule.mask, rule.priority, rule.seq, payload);
    }

    /** @return the rule's priority; higher wins */
    public int priority() {
        return priority;
    }

    /** @return the caller's payload */
    public R payload() {
        return payload;
    }

    /**
     * @return the install sequence number: among matching rules of equal priority, the lowest wins. Replacing a
     *     rule (same match, mask and priority) or its payload keeps it.
     */
    public long installSeq() {
        return seq;
    }

    /** @return the number of 64-bit words in the key */
    public int keyWords() {
        return mask.length;
    }

    /** @return word {@code i} of the (normalized) match value */
    public long matchWord(int i) {
        return match[i];
    }

    /** @return word {@code i} of the mask */
    public long maskWord(int i) {
        return mask[i];
    }

    /** @return a copy of the normalized match value */
    public long[] match() {
        return match.clone();
    }

    /** @return a copy of the mask */
    public long[] mask() {
        return mask.clone();
    }

    /** @return whether packet {@code key} matches this rule (a linear check, for tests and the control path) */
    public boolean matches(long[] key) {
        for (int i = 0; i < mask.length; i++) {
            if ((key[i] & mask[i]) != match[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return whether this rule has exactly this (unnormalized) match, this mask and this priority */
    public boolean sameMatch(long[] otherMatch, long[] otherMask, int otherPriority) {
        if (otherPriority != priority || !Arrays.equals(otherMask, mask)) {
            return false;
        }
        for (int i = 0; i < mask.length; i++) {
            if ((otherMatch[i] & mask[i]) != match[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The OpenFlow non-strict match test (OpenFlow 1.3.5 §6.4, "non-strict" MODIFY/DELETE and flow statistics): this
     * rule is selected by ({@code otherMatch}, {@code otherMask}) when it is at least as specific, that is its mask
     * covers {@code otherMask} and it agrees with {@code otherMatch} on {@code otherMask}. As OVS's
     * {@code cls_rule_is_loose_match()}.
     */
    public boolean isLooseMatchOf(long[] otherMatch, long[] otherMask) {
        for (int i = 0; i < mask.length; i++) {
            long m = otherMask[i];
            if ((mask[i] & m) != m || ((match[i] ^ otherMatch[i]) & m) != 0) {
                return false;
            }
        }
        return true;
    }

    /** @return whether some packet matches both this rule and ({@code otherMatch}, {@code otherMask}) */
    public boolean intersects(long[] otherMatch, long[] otherMask) {
        for (int i = 0; i < mask.length; i++) {
            if (((match[i] ^ otherMatch[i]) & mask[i] & otherMask[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Rule{priority=").append(priority).append(", seq=").append(seq);
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                sb.append(", w").append(i).append('=').append(Long.toHexString(match[i]))
                        .append('/').append(Long.toHexString(mask[i]));
            }
        }
        return sb.append(", payload=").append(payload).append('}').toString();
    }
}
