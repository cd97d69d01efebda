package dev.ofswitch.conntrack;

/**
 * Counters of a {@link ConnTracker}, a snapshot (OVS keeps the same ones as coverage counters).
 *
 * @param connections   live connections (committed and not yet deleted, expired or not)
 * @param limit         the global limit ({@code ct-set-maxconns})
 * @param created       connections committed since start
 * @param expired       connections deleted because they expired
 * @param flushed       connections deleted by a flush (or replaced by a {@code force} commit or a TCP reopen)
 * @param full          commits refused because the table was at the global limit
 * @param zoneFull      commits refused because the zone was at its limit
 * @param invalid       packets that came out {@code +inv}
 * @param natExhausted  NAT commits that found no free reply tuple (nothing was created)
 * @param cleanerPasses cleaner passes run
 * @param cleanerCpuNanos CPU time the cleaner thread used
 */
public record CtStats(long connections, long limit, long created, long expired, long flushed, long full,
                      long zoneFull, long invalid, long natExhausted, long cleanerPasses, long cleanerCpuNanos) {
}
