package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.Hex;
import dev.ofswitch.ofswitch.codec.OfVersion;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The public API of {@link OfctlFlows}: files, commands, port names, protocol choice, the decoded {@link FlowMod},
 * and that no input makes it throw anything but {@link OfctlParseException}. Byte identity with ovs-ofctl is checked
 * by {@link OfctlGoldenTest}, {@link OfctlVectorsTest} and {@link OfctlByteIdentityTest}; the expectations below that
 * name an ovs-ofctl behaviour were checked with ovs-ofctl 3.1.
 */
class OfctlFlowsTest {
    private static OfctlFlows.FlowModBatch parse(String flow, int version) throws OfctlParseException {
        return OfctlFlows.parseFlowMod(flow, version, FlowMod.OFPFC_ADD);
    }

    private static OfctlFlows.FlowModBatch file(String text, int command) throws IOException, OfctlParseException {
        return OfctlFlows.parseFlowFile(new StringReader(text), "flows.txt", OfVersion.OF13, command);
    }

    private static String hex(OfctlFlows.ParsedFlowMod f) {
        return Hex.encode(f.bytes());
    }

    @Test
    void flowFile_commentsAndBlankLinesSkipped_sameBytesAsSingleFlows() throws Exception {
        OfctlFlows.FlowModBatch b = file("# comment\n\npriority=1,ip actions=drop  # trailing\n  \t\n"
                + "tcp,tp_dst=80 actions=output:1", FlowMod.OFPFC_ADD);
        assertEquals(2, b.flowMods().size());
        assertEquals(hex(parse("priority=1,ip actions=drop  ", OfVersion.OF13).flowMods().get(0)),
                hex(b.flowMods().get(0)));
        assertEquals(hex(parse("tcp,tp_dst=80 actions=output:1", OfVersion.OF13).flowMods().get(0)),
                hex(b.flowMods().get(1)));
    }

    /** ovs-ofctl reads lines up to '\n' only; a '\r' is then a delimiter like a blank. */
    @Test
    void flowFile_crlfLines_accepted() throws Exception {
        OfctlFlows.FlowModBatch b = file("priority=1,actions=drop\r\n", FlowMod.OFPFC_ADD);
        assertEquals(hex(parse("priority=1,actions=drop", OfVersion.OF13).flowMods().get(0)),
                hex(b.flowMods().get(0)));
    }

    /** There is no line continuation: "priority=1,\" is a flow of its own, without actions (ovs-ofctl 3.1). */
    @Test
    void flowFile_noLineContinuation_errorNamesFileAndLine() {
        OfctlParseException e = assertThrows(OfctlParseException.class,
                () -> file("# c\n\npriority=1,ip actions=drop\n  \t\npriority=1,\\\nactions=drop\n",
                        FlowMod.OFPFC_ADD));
        assertEquals("flows.txt:5: must specify an action", e.getMessage());
    }

    /** add-flows lines may start with a command, as OVS parse_ofp_flow_mod_str() with command -2. */
    @Test
    void flowFile_commandPrefixes() throws Exception {
        OfctlFlows.FlowModBatch b = file("add table=1,actions=output:2\ndelete_strict priority=3,tcp\n"
                + "modify ip,actions=drop\nmodify_strict priority=7,actions=drop\ndelete\npriority=9,actions=drop\n",
                FlowMod.OFPFC_ADD);
        assertEquals(List.of(FlowMod.OFPFC_ADD, FlowMod.OFPFC_DELETE_STRICT, FlowMod.OFPFC_MODIFY,
                        FlowMod.OFPFC_MODIFY_STRICT, FlowMod.OFPFC_DELETE, FlowMod.OFPFC_ADD),
                b.flowMods().stream().map(OfctlFlows.ParsedFlowMod::command).toList());
        assertEquals(FlowMod.OFPFC_DELETE_STRICT, b.flowMods().get(1).flowMod().command());
        assertEquals(3, b.flowMods().get(1).flowMod().priority());
    }

    /** del-flows files take no command prefix: "delete" is then a field name. */
    @Test
    void flowFile_delFlows_prefixIsAField() {
        OfctlParseException e = assertThrows(OfctlParseException.class,
                () -> file("delete priority=3\n", FlowMod.OFPFC_DELETE));
        assertTrue(e.getMessage().startsWith("flows.txt:1: "), e.getMessage());
    }

    @Test
    void decodedFlowMod_carriesEveryKeyword() throws Exception {
        OfctlFlows.ParsedFlowMod p = OfctlFlows.parseFlowMod("table=3,priority=77,cookie=0x1234,idle_timeout=10,"
                + "hard_timeout=20,importance=5,send_flow_rem,check_overlap,ip,nw_dst=10.1.0.0/16,"
                + "actions=ct(commit,zone=5),output:2", OfVersion.OF14, FlowMod.OFPFC_ADD).flowMods().get(0);
        FlowMod fm = p.flowMod();
        assertNull(p.decodeError());
        assertEquals(OfVersion.OF14, fm.version());
        assertEquals(3, fm.tableId());
        assertEquals(77, fm.priority());
        assertEquals(0x1234, fm.cookie());
        assertEquals(10, fm.idleTimeout());
        assertEquals(20, fm.hardTimeout());
        assertEquals(5, fm.importance());
        assertTrue(fm.sendFlowRemoved());
        assertTrue(fm.checkOverlap());
        assertEquals(FlowMod.OFPFC_ADD, fm.command());
    }

    @Test
    void modifyWithCookieMask_andDeleteOutPort() throws Exception {
        FlowMod mod = OfctlFlows.parseFlowMod("cookie=0x10/0xff,actions=drop", OfVersion.OF13,
                FlowMod.OFPFC_MODIFY).flowMods().get(0).flowMod();
        assertEquals(0x10, mod.cookie());
        assertEquals(0xff, mod.cookieMask());
        FlowMod del = OfctlFlows.parseFlowMod("out_port=7,ip", OfVersion.OF13, FlowMod.OFPFC_DELETE)
                .flowMods().get(0).flowMod();
        assertEquals(7, del.outPort());
        OfctlParseException e = assertThrows(OfctlParseException.class,
                () -> OfctlFlows.parseFlowMod("cookie=0x10/0xff,actions=drop", OfVersion.OF13, FlowMod.OFPFC_ADD));
        assertEquals("flow additions cannot use a cookie mask", e.getMessage());
    }

    @Test
    void portNames_resolvedLikeNumbers() throws Exception {
        Map<String, Integer> ports = Map.of("eth1", 1, "eth2", 2);
        OfctlFlows.FlowModBatch named = OfctlFlows.parseFlowMod("in_port=eth1,actions=output:eth2,resubmit(eth1,2)",
                OfVersion.OF13, FlowMod.OFPFC_ADD, ports);
        assertEquals(hex(parse("in_port=1,actions=output:2,resubmit(1,2)", OfVersion.OF13).flowMods().get(0)),
                hex(named.flowMods().get(0)));
    }

    /** OpenFlow 1.0: the standard match when it fits, else the Nicira formats reached by a preamble. */
    @Test
    void of10_protocolChoiceAndPreamble() throws Exception {
        assertEquals(List.of(), parse("ip,actions=drop", OfVersion.OF10).preamble());
        assertEquals(List.of("NXT_FLOW_MOD_TABLE_ID"), preambleTypes(parse("table=1,ip,actions=drop",
                OfVersion.OF10)));
        assertEquals(List.of("NXT_SET_FLOW_FORMAT"), preambleTypes(parse("ct_state=+trk,actions=drop",
                OfVersion.OF10)));
        OfctlFlows.FlowModBatch both = parse("table=2,reg0=1,actions=drop", OfVersion.OF10);
        assertEquals(List.of("NXT_SET_FLOW_FORMAT", "NXT_FLOW_MOD_TABLE_ID"), preambleTypes(both));
        assertEquals("NXM+table_id", both.protocol());
        // A file gets one choice for all its flows: the NXM one of its last line.
        OfctlFlows.FlowModBatch f = OfctlFlows.parseFlowFile(new StringReader("ip,actions=drop\nreg0=1,actions=drop\n"),
                "f", OfVersion.OF10, FlowMod.OFPFC_ADD);
        assertEquals(List.of("NXT_SET_FLOW_FORMAT"), preambleTypes(f));
        byte[] first = f.flowMods().get(0).bytes();
        assertEquals("000023200000000d", Hex.encode(first).substring(16, 32),
                "NXT_FLOW_MOD: Nicira vendor, subtype 13");
    }

    private static List<String> preambleTypes(OfctlFlows.FlowModBatch b) {
        return b.preamble().stream().map(m -> switch (m[15]) {
            case 12 -> "NXT_SET_FLOW_FORMAT";
            case 15 -> "NXT_FLOW_MOD_TABLE_ID";
            default -> "subtype " + m[15];
        }).toList();
    }

    @Test
    void withXid_setsOnlyTheTransactionId() throws Exception {
        byte[] b = parse("actions=drop", OfVersion.OF13).flowMods().get(0).bytes();
        byte[] x = OfctlFlows.withXid(b, 0x01020304);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, java.util.Arrays.copyOfRange(x, 4, 8));
        assertArrayEquals(b, OfctlFlows.withXid(x, 0));
    }

    /** dec_ttl with controller ids (NXAST_DEC_TTL_CNT_IDS) and OpenFlow 1.0 write_metadata decode in the switch. */
    @Test
    void decTtlIdsAndOf10WriteMetadata_decodedByTheSwitch() throws Exception {
        OfctlFlows.ParsedFlowMod p = parse("ip,actions=dec_ttl(1,2)", OfVersion.OF13).flowMods().get(0);
        assertNull(p.decodeError());
        assertEquals("[ApplyActions[actions=[DecTtl[controllerIds=[1, 2], cntIds=true]]]]",
                p.flowMod().instructions().list().toString());
        p = parse("actions=output:1,write_metadata:0x5/0xff", OfVersion.OF10).flowMods().get(0);
        assertNull(p.decodeError());
        assertTrue(p.flowMod().instructions().list().toString().endsWith("WriteMetadata[metadata=5, mask=255]]"),
                p.flowMod().instructions().list().toString());
    }

    @Test
    void unsupportedFieldsAndActions_namedInTheError() {
        OfctlParseException f = assertThrows(OfctlParseException.class,
                () -> parse("tun_metadata0=1,actions=drop", OfVersion.OF13));
        assertEquals("tun_metadata0: field not supported by this switch", f.getMessage());
        assertEquals("tun_metadata0", f.token());
        OfctlParseException a = assertThrows(OfctlParseException.class,
                () -> parse("actions=learn(table=1)", OfVersion.OF13));
        assertEquals("learn: action not supported by this switch", a.getMessage());
    }

    @Test
    void errorsNameTheOffendingToken() {
        OfctlParseException e = assertThrows(OfctlParseException.class,
                () -> parse("ip,nw_srcx=1,actions=drop", OfVersion.OF13));
        assertEquals("unknown keyword nw_srcx", e.getMessage());
        assertEquals("nw_srcx", e.token());
    }

    @Test
    void badVersionOrCommand_isAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> OfctlFlows.parseFlowMod("actions=drop", OfVersion.OF11, FlowMod.OFPFC_ADD));
        assertThrows(IllegalArgumentException.class,
                () -> OfctlFlows.parseFlowMod("actions=drop", OfVersion.OF13, 5));
    }

    /**
     * Robustness: 10000 mutations of valid flows (characters dropped, doubled, swapped or replaced by syntax
     * characters, truncations) in every version and command either parse, with bytes and a decoding or a decoder's
     * reason, or fail with an OfctlParseException; nothing else escapes.
     */
    @Test
    void mutatedFlows_onlyParseExceptions() {
        List<String> valid = new RandomFlows(7).flows(500);
        Random r = new Random(11);
        String syntax = ",=()[]/:->.+ 0x9fFa\\\"'#\0\tZ";
        int[] versions = {OfVersion.OF10, OfVersion.OF13, OfVersion.OF14, OfVersion.OF15};
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 10000; i++) {
            StringBuilder s = new StringBuilder(valid.get(r.nextInt(valid.size())));
            for (int m = 1 + r.nextInt(3); m > 0 && s.length() > 0; m--) {
                int at = r.nextInt(s.length());
                switch (r.nextInt(5)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, s.charAt(at));
                    case 2 -> s.setCharAt(at, syntax.charAt(r.nextInt(syntax.length())));
                    case 3 -> s.setLength(at);
                    default -> s.insert(at, syntax.charAt(r.nextInt(syntax.length())));
                }
            }
            String text = s.toString();
            int version = versions[r.nextInt(versions.length)];
            int command = r.nextInt(5);
            try {
                OfctlFlows.FlowModBatch b = OfctlFlows.parseFlowMod(text, version, command);
                OfctlFlows.ParsedFlowMod p = b.flowMods().get(0);
                assertTrue(p.flowMod() != null || p.decodeError() != null, text);
                parsed++;
            } catch (OfctlParseException e) {
                assertTrue(!e.getMessage().isEmpty(), text);
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError("v" + version + " command " + command + ": " + text, e);
            }
        }
        assertTrue(parsed > 300 && refused > 1000, parsed + " parsed, " + refused + " refused");
    }
}
