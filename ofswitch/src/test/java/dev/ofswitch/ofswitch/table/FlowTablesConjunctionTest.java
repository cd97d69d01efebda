package dev.ofswitch.ofswitch.table;

import static dev.ofswitch.ofswitch.table.FlowTablesTransactionTest.TCP;
import static dev.ofswitch.ofswitch.table.FlowTablesTransactionTest.fm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.pipeline.ProgramCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conjunctive matches through {@link FlowTables}: flows parsed from ovs-ofctl text, clauses recognised from their
 * conjunction actions, and MODIFY turning a flow into a clause or back, alone or in a transaction (bundle).
 */
class FlowTablesConjunctionTest {
    FlowTables tables;

    static long[] tcpKey(int srcHost, int dport) {
        long[] key = FlowTablesTransactionTest.ipKey(TCP, srcHost);
        FlowKey.set(key, MatchField.TCP_DST, dport);
        return key;
    }

    String hit(int srcHost, int dport) {
        long[] key = tcpKey(srcHost, dport);
        FlowEntry e = tables.lookup(0, key);
        assertArrayEquals(tcpKey(srcHost, dport), key, "the key is given back unchanged");
        return e == null ? null : e.instructions().applyActions().toString();
    }

    void add(String flow) throws OpenFlowException {
        tables.apply(fm(flow, FlowMod.OFPFC_ADD), 0);
    }

    @BeforeEach
    void setUp() throws OpenFlowException {
        tables = new FlowTables(new ProgramCompiler());
        add("priority=0,actions=drop");
        add("priority=70,tcp,nw_src=10.0.0.1,actions=conjunction(10,1/2)");
        add("priority=70,tcp,tp_dst=22,actions=conjunction(10,2/2)");
        add("priority=70,conj_id=10,tcp,actions=output:1");
    }

    @Test
    void conjunction_completesOnlyWithBothClauses() {
        assertEquals("[Output[port=1, maxLen=0]]", hit(1, 22));
        assertEquals("[]", hit(2, 22));
        assertEquals("[]", hit(1, 80));
        assertEquals(3, tables.lookupCount(0), "one lookup per packet, the nested conj_id lookup included");
        assertEquals(3, tables.matchedCount(0));
    }

    @Test
    void modify_clauseToOrdinaryAndBack() throws OpenFlowException {
        tables.apply(fm("priority=70,tcp,tp_dst=22,actions=output:2", FlowMod.OFPFC_MODIFY_STRICT), 0);
        assertEquals("[Output[port=2, maxLen=0]]", hit(1, 22), "port 22 is an ordinary flow now");
        assertEquals("[Output[port=2, maxLen=0]]", hit(9, 22));
        tables.apply(fm("priority=70,tcp,tp_dst=22,actions=conjunction(10,2/2)", FlowMod.OFPFC_MODIFY_STRICT), 0);
        assertEquals("[Output[port=1, maxLen=0]]", hit(1, 22));
        assertEquals("[]", hit(9, 22));
    }

    @Test
    void transaction_addsClausesAtOnce() throws OpenFlowException {
        FlowTables.Transaction tx = tables.begin();
        tables.apply(fm("priority=70,tcp,nw_src=10.0.0.2,actions=conjunction(10,1/2)", FlowMod.OFPFC_ADD), 0);
        tables.apply(fm("priority=70,tcp,tp_dst=22,actions=output:3", FlowMod.OFPFC_MODIFY_STRICT), 0);
        assertEquals("[]", hit(2, 22), "not yet committed");
        tx.commit();
        assertEquals("[Output[port=3, maxLen=0]]", hit(2, 22));
        tables.apply(fm("priority=70,tcp,tp_dst=22,actions=conjunction(10,2/2)", FlowMod.OFPFC_MODIFY_STRICT), 0);
        assertEquals("[Output[port=1, maxLen=0]]", hit(2, 22));
    }

    @Test
    void deleteClauses_theConjIdFlowNoLongerMatches() throws OpenFlowException {
        tables.apply(fm("priority=70,tcp,nw_src=10.0.0.1", FlowMod.OFPFC_DELETE_STRICT), 0);
        tables.apply(fm("priority=70,tcp,tp_dst=22", FlowMod.OFPFC_DELETE_STRICT), 0);
        assertEquals(2, tables.activeCount(0));
        assertEquals("[]", hit(1, 22), "a packet's conj_id is 0: only the drop flow matches");
    }
}
