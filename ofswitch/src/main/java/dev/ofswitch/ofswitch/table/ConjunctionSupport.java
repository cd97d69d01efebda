package dev.ofswitch.ofswitch.table;

import java.util.function.Function;

/**
 * What a {@link Classifier} needs to run Open vSwitch's conjunctive matches: which rules are clauses, and where the
 * conjunction id sits in a key.
 *
 * <p>A clause is a rule whose payload stands for one or more {@code conjunction(id,k/n)} actions. Each is packed
 * in a {@code long} as {@code id << 32 | k << 8 | n} with {@code k} 0-based ({@link #pack}), the form
 * {@code codec.Action.Conjunction#packed()} produces. {@link #clauses} must return the same array for as long as the
 * payload's clause status lasts: the classifier reads it on every lookup that meets the rule.
 *
 * @param clauses the packed conjunctions a payload stands for, or null for an ordinary rule
 * @param conjIdWord the key word that holds the 32-bit conjunction id (OVS {@code flow->conj_id})
 * @param conjIdShift the id's bit offset in that word
 * @param <R> the payload type
 */
public record ConjunctionSupport<R>(Function<? super R, long[]> clauses, int conjIdWord, int conjIdShift) {
    /** Packs conjunction {@code id}, clause {@code clause} (0-based) of {@code nClauses}. */
    public static long pack(long id, int clause, int nClauses) {
        return (id & 0xffffffffL) << 32 | (long) (clause & 0xff) << 8 | (nClauses & 0xff);
    }

    /** The conjunction id of a packed clause. */
    static long id(long packed) {
        return packed >>> 32;
    }

    /** The 0-based clause index of a packed clause. */
    static int clause(long packed) {
        return (int) (packed >>> 8) & 0xff;
    }

    /** The number of clauses of a packed clause's conjunction. */
    static int nClauses(long packed) {
        return (int) packed & 0xff;
    }
}
