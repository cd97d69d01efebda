package dev.ofswitch.ofswitch.table;

import java.util.List;

/**
 * The operations a flow table needs from a classifier. Keys, matches and masks are {@code long[]} of
 * {@link #keyWords()} words; the classifier does not know which field lives where.
 *
 * <p>Semantics shared by every implementation:
 *
 * <ul>
 *   <li><b>Lookup</b> returns the matching rule of highest priority. <b>Ties</b> (two matching rules of equal
 *       priority, which OpenFlow 1.3.5 §5.3 leaves undefined) are broken by the implementation's {@link TieBreak}:
 *       by default the rule installed first, i.e. the lowest {@link Rule#installSeq()}.
 *   <li><b>Insert</b> of a rule with the same match, mask and priority as an installed one replaces it (OFPFC_ADD of an
 *       identical flow); the new rule inherits the old one's install order.
 *   <li>Wildcard tracking: {@link #lookup(long[], long[])} ORs into {@code wildcards} the key bits the decision
 *       depended on (OVS's "un-wildcarding"); any key that agrees with the looked-up key on those bits gets the same
 *       rule, so the pair (key, wildcards) can serve as a megaflow.
 * </ul>
 *
 * @param <R> the payload type
 */
public interface FlowClassifier<R> {

    /** @return the key width in 64-bit words */
    int keyWords();

    /**
     * Finds the highest-priority rule matching {@code key}. Any thread; allocates nothing.
     *
     * @param key the packet key, {@link #keyWords()} words
     * @return the winning rule, or null on a miss
     */
    Rule<R> lookup(long[] key);

    /**
     * As {@link #lookup(long[])}, and ORs into {@code wildcards} the bits the decision consulted. Any thread; allocates
     * nothing.
     *
     * @param key the packet key
     * @param wildcards accumulates the megaflow mask; the caller clears it first
     * @return the winning rule, or null on a miss
     */
    Rule<R> lookup(long[] key, long[] wildcards);

    /**
     * Installs a rule, replacing any rule with the same match, mask and priority (see the class comment). Control
     * thread only.
     *
     * @param match the match value; bits outside {@code mask} are ignored
     * @param mask the mask
     * @param priority the priority; higher wins
     * @param payload the caller's payload
     * @return the installed rule
     */
    Rule<R> insert(long[] match, long[] mask, int priority, R payload);

    /**
     * Swaps the payload of an installed rule (OFPFC_MODIFY keeps the flow and changes its instructions). Lookups see
     * either the old or the new rule, never neither. Control thread only.
     *
     * @param rule an installed rule
     * @param payload the new payload
     * @return the new rule, or null if {@code rule} is not installed
     */
    Rule<R> replacePayload(Rule<R> rule, R payload);

    /**
     * Removes an installed rule. Control thread only.
     *
     * @param rule the rule, as returned by this classifier
     * @return whether it was installed
     */
    boolean remove(Rule<R> rule);

    /**
     * Strict find (MODIFY_STRICT, DELETE_STRICT): the rule with exactly this match, mask and priority. Control thread.
     *
     * @return the rule, or null
     */
    Rule<R> findExactly(long[] match, long[] mask, int priority);

    /**
     * Non-strict find (MODIFY, DELETE, flow statistics): every rule at least as specific as ({@code match},
     * {@code mask}), whatever its priority; see {@link Rule#isLooseMatchOf}. An all-zero mask selects every rule.
     * Control thread only; the order is unspecified.
     *
     * @return the selected rules
     */
    List<Rule<R>> findLoose(long[] match, long[] mask);

    /**
     * The OFPFF_CHECK_OVERLAP test: whether an installed rule of priority {@code priority} can match a packet that
     * ({@code match}, {@code mask}) also matches. An identical installed rule counts (as in OVS). Control thread only.
     *
     * @return whether there is such a rule
     */
    boolean overlaps(long[] match, long[] mask, int priority);

    /** @return the number of installed rules. Control thread only. */
    int size();

    /** @return all installed rules, in unspecified order. Control thread only. */
    List<Rule<R>> rules();
}
