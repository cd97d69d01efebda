package dev.ofswitch.ofswitch.table;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.Match;
import dev.ofswitch.ofswitch.codec.MatchEntry;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.List;

/**
 * OVS's table 254 ({@code TBL_INTERNAL} in {@code ofproto/ofproto-dpif.c}), which OpenFlow may not change.
 *
 * <p>ovs-vswitchd marks it {@code OFTABLE_HIDDEN | OFTABLE_READONLY} and puts four flows of its own in it
 * ({@code add_internal_flows()}): priority 2 {@code recirc_id=0 actions=drop}, and priority 0 {@code reg0=0x1
 * actions=controller}, {@code reg0=0x2 actions=drop}, {@code reg0=0x3 actions=drop}. What OpenFlow sees of that,
 * checked against ovs-vswitchd 3.1 in every version:
 * <ul>
 * <li>ADD, MODIFY and MODIFY_STRICT naming table 254 are refused with OFPBRC_EPERM, whatever they match, before their
 * actions' groups and meters are checked ({@code add_flow_init()}, which a modify also runs).
 * <li>DELETE and DELETE_STRICT are refused with OFPBRC_EPERM only when they would select one of the four flows
 * ({@code collect_rules_loose/strict()}: read-only rules selected, none writable): {@code table=254} alone,
 * {@code reg0=0x1}, {@code out_port=CONTROLLER} are refused; {@code ip}, {@code reg0=0x5}, a non-zero cookie, an
 * {@code out_group} are not.
 * <li>Table 255 (all tables) skips it, so a delete of everything never fails.
 * </ul>
 * This switch keeps no flows there; the four are only modelled here, to answer deletes as OVS does. {@code recirc_id}
 * cannot be matched through our codec, so that flow stands as a catch-all of priority 2 that only a loose delete
 * without a match selects, never a strict one.
 *
 * <h2>Thread-safety</h2> Immutable after class initialization; any thread.
 */
final class ReadOnlyTable {
    /** OVS's {@code TBL_INTERNAL}. */
    static final int TABLE_ID = 254;

    /** The four flows, by payload: 0 the recirc_id flow, N the {@code reg0=N} flow. */
    private static final Classifier<Integer> FLOWS = new Classifier<>(FlowKey.WORDS);

    static {
        FLOWS.insert(FlowKey.newKey(), FlowKey.newKey(), 2, 0);
        for (int n = 1; n <= 3; n++) {
            long[] v = FlowKey.newKey();
            long[] m = FlowKey.newKey();
            Match.ofNxm(List.of(MatchEntry.of(MatchField.reg(0), 1, n, null))).toKey(v, m);
            FLOWS.insert(v, m, 0, n);
        }
    }

    private ReadOnlyTable() {
    }

    /** Whether a delete of table 254 with these criteria selects one of OVS's own flows (then OFPBRC_EPERM). */
    static boolean selects(Match match, boolean strict, int priority, long cookie, long cookieMask, int outPort,
                           long outGroup) {
        if ((cookie & cookieMask) != 0 || outGroup != FlowTables.OFPG_ANY) {
            return false;           // every one has cookie 0 and uses no group
        }
        long[] v = FlowKey.newKey();
        long[] m = FlowKey.newKey();
        match.toKey(v, m);
        if (strict) {
            Rule<Integer> r = FLOWS.findExactly(v, m, priority);
            return r != null && r.payload() != 0 && outputsTo(r.payload(), outPort);
        }
        for (Rule<Integer> r : FLOWS.findLoose(v, m)) {
            if (outputsTo(r.payload(), outPort)) {
                return true;
            }
        }
        return false;
    }

    /** The out_port filter: only the {@code reg0=0x1} flow outputs, to the controller. */
    private static boolean outputsTo(int flow, int outPort) {
        return outPort == FlowTables.OFPP_ANY || (flow == 1 && outPort == Action.OFPP_CONTROLLER);
    }
}
