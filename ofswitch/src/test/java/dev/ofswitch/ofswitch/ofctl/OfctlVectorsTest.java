package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.Tools;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.Golden;
import dev.ofswitch.ofswitch.codec.Hex;
import dev.ofswitch.ofswitch.codec.OfVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 check 2 on the golden ovs-ofctl vectors (copied from {@code shared/vectors/ovs-ofctl} into
 * {@code golden/ovs-ofctl-of10/13/14/15.txt} and {@code golden/ovs-ofctl-extra.txt}): for each case, the messages
 * ovs-ofctl 3.1 sent for the flow (OpenFlow 1.0: NXT_SET_FLOW_FORMAT, NXT_FLOW_MOD_TABLE_ID, then the flow mod) are
 * the parser's preamble and FLOW_MOD, byte for byte except the transaction ids.
 */
class OfctlVectorsTest {
    /** The flows of shared/vectors/ovs-ofctl/index.tsv, by case (c19 was given to del-flows). */
    private static final Map<String, String> FLOWS = flows(
            "c00_baseline_plain_of", "priority=5,ip,nw_src=10.0.0.1,actions=dec_ttl,output:2",
            "c01_ct_recirc_zone", "table=0,priority=10,ip,ct_state=-trk,actions=ct(table=1,zone=5)",
            "c02_ct_commit_exec_setfield", "table=1,ip,ct_state=+trk+new,actions=ct(commit,zone=5,"
                    + "exec(set_field:0x1->ct_mark,set_field:0xabcdef->ct_label)),output:2",
            "c03_match_ct_mark_label_zone",
            "table=1,ct_state=+trk+est,ct_mark=0x1,ct_label=0xabcdef,ct_zone=5,actions=output:1",
            "c04_ct_nat_src_port_range", "tcp,actions=ct(commit,nat(src=10.0.0.1:1000-2000)),output:2",
            "c05_ct_clear_resubmit_table", "actions=ct_clear,resubmit(,3)",
            "c06_ct_commit_force_zone_reg", "ip,actions=ct(commit,force,zone=NXM_NX_REG0[0..15])",
            "c07_load_move_regs", "actions=load:0x5->NXM_NX_REG0[],move:NXM_NX_REG0[]->NXM_NX_REG1[]",
            "c08_match_ct_tuple", "table=2,ip,ct_state=+trk,ct_nw_src=10.0.0.1,ct_nw_dst=10.0.0.0/24,ct_nw_proto=6,"
                    + "ct_tp_src=1000,ct_tp_dst=80,actions=drop",
            "c09_match_regs", "table=3,reg0=0x5,reg1=0x10/0xff,reg7=0xffffffff,actions=resubmit(,4)",
            "c10_match_masked_ct_resubmit_port",
            "ct_state=+trk-inv+rpl,ct_mark=0x1/0xf,ct_label=0x1/0x1,actions=resubmit(1),resubmit(1,5)",
            "c11_ct_nat_src_range_flags",
            "ip,actions=ct(commit,zone=7,nat(src=10.0.0.1-10.0.0.10:1000-2000,random,persistent))",
            "c12_ct_nat_dst_ipv6", "ipv6,actions=ct(commit,nat(dst=[fd00::1]-[fd00::10]:80))",
            "c13_ct_nat_no_range", "ip,actions=ct(table=2,zone=5,nat)",
            "c14_ct_alg_ftp", "tcp,tp_dst=21,actions=ct(commit,alg=ftp)",
            "c15_ct_exec_label128_masked_mark", "ip,actions=ct(commit,exec(set_field:0x0123456789abcdef0123456789abcdef"
                    + "->ct_label,set_field:0x10/0xf0->ct_mark))",
            "c16_ct_exec_load_label_hi", "ip,actions=ct(commit,exec(load:0x1->NXM_NX_CT_LABEL[64..127]))",
            "c17_neutron_style_commit", "table=72,priority=50,ct_state=+trk+new-est,ip,reg5=0x3,actions=ct(commit,"
                    + "zone=NXM_NX_REG6[0..15],exec(load:0x1->NXM_NX_CT_MARK[])),resubmit(,73)",
            "c18_move_from_ct_fields", "ct_state=+trk,actions=move:NXM_NX_CT_LABEL[0..31]->NXM_NX_REG2[],"
                    + "move:NXM_NX_CT_MARK[]->NXM_NX_REG3[],load:0xffff->NXM_NX_REG4[0..15],resubmit(,5)",
            "c19_del_flows_ct_match", "table=1,ct_state=+trk+est,ct_zone=5",
            "c20_match_masked_reg7", "table=3,reg7=0x1/0x1,reg3=0xa/0xff,actions=drop");

    private static Map<String, String> flows(String... caseAndFlow) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < caseAndFlow.length; i += 2) {
            m.put(caseAndFlow[i], caseAndFlow[i + 1]);
        }
        return m;
    }

    private static String zeroXid(byte[] msg) {
        return Hex.encode(OfctlFlows.withXid(msg, 0));
    }

    /** Every case of one version file: the recorded messages, in wire order, are ours. */
    private static int checkVersion(String resource, int version) throws IOException {
        Map<String, List<String>> recorded = new LinkedHashMap<>();
        for (Golden.Vector v : Golden.load(resource)) {
            String file = v.name();
            int slash = file.indexOf('/');
            if (slash > 0 && !file.startsWith("session/")) {
                recorded.computeIfAbsent(file.substring(0, slash), k -> new ArrayList<>()).add(zeroXid(v.bytes()));
            }
        }
        assertEquals(FLOWS.keySet(), recorded.keySet(), resource + " cases");
        for (Map.Entry<String, String> c : FLOWS.entrySet()) {
            int command = c.getKey().startsWith("c19_del_flows") ? FlowMod.OFPFC_DELETE : FlowMod.OFPFC_ADD;
            OfctlFlows.FlowModBatch b;
            try {
                b = OfctlFlows.parseFlowMod(c.getValue(), version, command);
            } catch (OfctlParseException e) {
                throw new AssertionError(resource + " " + c.getKey() + ": refused: " + e.getMessage(), e);
            }
            List<String> ours = new ArrayList<>();
            b.preamble().forEach(m -> ours.add(zeroXid(m)));
            b.flowMods().forEach(f -> ours.add(zeroXid(f.bytes())));
            assertEquals(recorded.get(c.getKey()), ours, resource + " " + c.getKey() + ": " + c.getValue());
        }
        return FLOWS.size();
    }

    @Test
    void everyVectorCase_ourMessagesAreOvsOfctls() throws IOException {
        int checked = checkVersion("ovs-ofctl-of10.txt", OfVersion.OF10)
                + checkVersion("ovs-ofctl-of13.txt", OfVersion.OF13)
                + checkVersion("ovs-ofctl-of14.txt", OfVersion.OF14)
                + checkVersion("ovs-ofctl-of15.txt", OfVersion.OF15);
        System.out.printf("ofctl vectors: %d flows (21 cases x 4 versions) byte-identical to ovs-ofctl%n", checked);
    }

    /** The extra captures' flow mods: the flow text is the one ovs-ofctl printed after "ADD ". */
    @Test
    void extraFlowMods_controllerActions() throws IOException, OfctlParseException {
        int checked = 0;
        for (Golden.Vector v : Golden.load("ovs-ofctl-extra.txt")) {
            int add = v.meaning().indexOf("OFPT_FLOW_MOD");
            if (add < 0) {
                continue;
            }
            String flow = v.meaning().substring(v.meaning().indexOf(": ADD ", add) + ": ADD ".length());
            int version = v.bytes()[0];
            OfctlFlows.FlowModBatch b = OfctlFlows.parseFlowMod(flow, version, FlowMod.OFPFC_ADD);
            assertTrue(b.preamble().isEmpty(), v.name());
            assertEquals(zeroXid(v.bytes()), zeroXid(b.flowMods().get(0).bytes()), v.toString());
            checked++;
        }
        assertEquals(3, checked, "flow mods in ovs-ofctl-extra.txt");
    }

    /** The embedded flows are index.tsv's (checked where the shared vectors exist). */
    @Test
    void embeddedFlows_matchSharedIndex() throws IOException {
        Path index = Path.of("/work/shared/vectors/ovs-ofctl/index.tsv");
        if (!Files.isRegularFile(index)) {
            Tools.skipLoudly("shared vectors " + index + " not present");
        }
        Map<String, String> fromIndex = new LinkedHashMap<>();
        for (String line : Files.readAllLines(index)) {
            String[] col = line.split("\t");
            if (col.length > 5 && col[1].matches("c\\d\\d_.*")) {
                fromIndex.put(col[1], col[5]);
            }
        }
        assertEquals(FLOWS, fromIndex);
    }
}
