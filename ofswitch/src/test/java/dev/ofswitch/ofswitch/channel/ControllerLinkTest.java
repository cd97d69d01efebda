package dev.ofswitch.ofswitch.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which controller messages show that it took control of the switch (OVS rconn's {@code is_admitted_msg()}), the
 * input of fail-open's recovery.
 */
class ControllerLinkTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "OF1.3 HELLO,                    04000008, false",
        "OF1.3 ECHO_REQUEST,             04020008, false",
        "OF1.3 FEATURES_REQUEST,         04050008, false",
        "OF1.3 GET_CONFIG_REQUEST,       04070008, false",
        "OF1.3 SET_CONFIG,               0409000c, false",
        "OF1.3 GET_ASYNC_REQUEST,        041a0008, false",
        "OF1.3 FLOW_MOD,                 040e0008, true",
        "OF1.3 PACKET_OUT,               040d0008, true",
        "OF1.3 BARRIER_REQUEST,          04140008, true",
        "OF1.3 ROLE_REQUEST,             04180008, true",
        "OF1.3 multipart DESC,           04120010 00000000 0000 0000 00000000, true",
        "OF1.3 multipart FLOW,           04120010 00000000 0001 0000 00000000, true",
        "OF1.3 multipart GROUP,          04120010 00000000 0006 0000 00000000, false",
        "OF1.3 multipart GROUP_DESC,     04120010 00000000 0007 0000 00000000, false",
        "OF1.3 multipart TABLE_FEATURES, 04120010 00000000 000c 0000 00000000, false",
        "OF1.3 multipart PORT_DESC,      04120010 00000000 000d 0000 00000000, true",
        "OF1.0 FLOW_MOD,                 010e0008, true",
        "OF1.0 FEATURES_REQUEST,         01050008, false",
        "OF1.0 stats DESC,               0110000c 00000000 0000 0000, true",
        "unknown type,                   04630008, false",
        "Nicira experimenter,            04040010 00000000 00002320 0000000c, true",
    })
    void admission_asOvsIsAdmittedMsg(String what, String hex, boolean admits) {
        byte[] head = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
        byte[] msg = java.util.Arrays.copyOf(head, Math.max(head.length, 8));
        RawMessage m = new RawMessage(Unpooled.wrappedBuffer(msg));
        try {
            assertEquals(admits, ControllerLink.isAdmissionMessage(m), what);
        } finally {
            m.release();
        }
    }
}
