package dev.ofswitch.ofswitch.table;

/**
 * Which rule a lookup returns when two or more matching rules share the highest priority, a case OpenFlow 1.3.5 §5.3
 * leaves undefined ("the selected flow entry is explicitly undefined"). Both choices are deterministic: the same
 * sequence of inserts and removals gives the same answers.
 */
public enum TieBreak {
    /**
     * The rule installed first ({@link Rule#installSeq()}, which a replacement inherits) wins. Easy to state and to
     * test against. Cost: after a hit, a lookup still probes every subtable whose maximum priority equals the hit's,
     * because one of them might hold an older tying rule; with many same-priority masks and a high hit rate that is
     * most of the table.
     */
    EARLIEST_INSTALLED,

    /**
     * The rule in the first subtable wins, subtables being ranked by their maximum rule priority (higher first), then
     * by age (the subtable that became non-empty first). This is what lets a lookup stop at the first hit once no
     * remaining subtable has a higher maximum priority, as OVS's {@code classifier_lookup__()} does (OVS ranks equal
     * maxima in no documented order).
     */
    SUBTABLE_ORDER
}
