package dev.ofswitch.ofswitch;

import static dev.ofswitch.ofswitch.OfClient.concat;
import static dev.ofswitch.ofswitch.OfClient.header;
import static dev.ofswitch.ofswitch.OfClient.hex;
import static dev.ofswitch.ofswitch.OfClient.output13;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.OfVersion;
import dev.ofswitch.ofswitch.ofctl.OfctlFlows;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dec_ttl(ID,...)} (NXAST_DEC_TTL_CNT_IDS) executed as OVS's {@code compose_dec_ttl()} does: a TTL above 1 is
 * decremented and the packet goes on; at TTL 1 (or 0) processing stops and each listed controller id gets a packet-in
 * with reason invalid_ttl, that is every connection whose controller id (NXT_SET_CONTROLLER_ID) is listed and no
 * other; plain {@code dec_ttl} means id 0. Four OpenFlow 1.3 connections with ids 0, 1, 2 and 3, all asking for
 * invalid-TTL packet-ins (SET_ASYNC). With {@code -Dofswitch.against=ovs} the same test runs against ovs-vswitchd 3.1
 * ({@link LiveSwitch}), which is where these expectations were checked.
 */
class DecTtlControllerIdsTest {
    /** 42-byte UDP 10.0.0.1 -> 10.0.0.2, TTL 64 at offset 22. */
    static final String UDP = OvsOfctlOf13Test.UDP;
    static final int OFPP_TABLE = 0xfffffff9;

    @TempDir
    Path dir;
    LiveSwitch s;
    final List<OfClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        s = LiveSwitch.start(dir, 3);
        for (int id = 0; id < 4; id++) {
            OfClient c = OfClient.connect(s.port, OfClient.OF13);
            c.send(OfClient.setConfig(OfClient.OF13, c.xid(), 0, 0xffff));
            // NXT_SET_CONTROLLER_ID (subtype 20): zero[6], controller_id(2).
            c.send(concat(header(OfClient.OF13, OfClient.EXPERIMENTER, 24, c.xid()),
                    ByteBuffer.allocate(16).putInt(0x2320).putInt(20).putShort(14, (short) id).array()));
            // SET_ASYNC: packet-ins for no_match, action and invalid_ttl (master and slave), the rest as default.
            c.send(concat(header(OfClient.OF13, OfClient.SET_ASYNC, 32, c.xid()),
                    ByteBuffer.allocate(24).putInt(7).putInt(7).putInt(7).putInt(7).putInt(15).putInt(0).array()));
            assertEquals(List.of(), c.barrier(), "controller " + id + " set up");
            clients.add(c);
        }
    }

    @AfterEach
    void stop() throws IOException {
        for (OfClient c : clients) {
            c.close();
        }
        s.close();
    }

    private void flow(String text) throws Exception {
        OfClient c = clients.get(0);
        byte[] fm = OfctlFlows.parseFlowMod(text, OfVersion.OF13, FlowMod.OFPFC_ADD).flowMods().get(0).bytes();
        c.send(OfctlFlows.withXid(fm, c.xid()));
        assertEquals(List.of(), c.barrier(), text);
    }

    private void packetOutWithTtl(int ttl) throws IOException {
        byte[] frame = hex(UDP);
        frame[22] = (byte) ttl;
        OfClient c = clients.get(0);
        c.send(OfClient.packetOut13(c.xid(), 1, output13(OFPP_TABLE), frame));
    }

    /** What each controller id received before its barrier reply: the packet-ins' reasons. */
    private List<List<Integer>> packetInReasons(int... waitFor) throws IOException {
        List<List<Integer>> out = new ArrayList<>();
        for (int id = 0; id < clients.size(); id++) {
            OfClient c = clients.get(id);
            List<OfClient.Msg> got = new ArrayList<>();
            for (int w : waitFor) {
                if (w == id) {
                    // The packet-in is sent while the packet-out runs; wait for it before asking the others.
                    got.addAll(c.readUntil(m -> m.type() == OfClient.PACKET_IN));
                }
            }
            got.addAll(c.barrier());
            List<Integer> reasons = new ArrayList<>();
            for (OfClient.Msg m : got) {
                assertEquals(OfClient.PACKET_IN, m.type(), "controller " + id + ": " + m);
                reasons.add(PacketOutPipelineTest.PacketIn.of(m).reason());
            }
            out.add(reasons);
        }
        return out;
    }

    @Test
    void expiredTtl_packetInToEachListedControllerIdOnly() throws Exception {
        flow("ip,actions=dec_ttl(1,2),output:2");
        packetOutWithTtl(1);
        // Reason 2 is OFPR_INVALID_TTL; controllers 0 and 3 get nothing.
        assertEquals(List.of(List.of(), List.of(2), List.of(2), List.of()), packetInReasons(1, 2));
        assertEquals(0, Pcap.frames(s.txPcap(2)).size(), "processing stopped: nothing sent on port 2");
    }

    @Test
    void liveTtl_decrementedAndForwarded_noPacketIn() throws Exception {
        flow("ip,actions=dec_ttl(1,2),output:2");
        packetOutWithTtl(5);
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of()), packetInReasons());
        assertEquals(1, Pcap.frames(s.txPcap(2)).size());
    }

    @Test
    void plainDecTtl_controllerIdZero_repeatedIds_repeatedPacketIns() throws Exception {
        flow("priority=10,ip,nw_dst=10.0.0.2,actions=dec_ttl,output:2");
        packetOutWithTtl(0);
        assertEquals(List.of(List.of(2), List.of(), List.of(), List.of()), packetInReasons(0));
        flow("priority=20,ip,nw_dst=10.0.0.2,actions=dec_ttl(3,3),output:2");
        packetOutWithTtl(1);
        // Listed twice, sent twice, as OVS loops over the ids.
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of(2, 2)), packetInReasons(3, 3));
    }
}
