package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofswitch.ofswitch.Tools;
import dev.ofswitch.ofswitch.codec.Hex;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PortStatsPrinter} against ovs-ofctl 3.1's printing of port stats replies ({@code ovs-ofctl ofp-print HEX},
 * which prints them as {@code dump-ports} does): OpenFlow 1.0 (reserved port, port 12, unknown counters), the "more"
 * flag, 1.3 durations and 32-bit port numbers, an empty reply, and 1.4/1.5 properties (Ethernet, Intel RFC 2819 with
 * some counters unknown, Intel custom counters with an unnamed one, an entry without properties). The expected text
 * was printed by ovs-ofctl; where it is installed the test asks it again.
 */
class PortStatsPrinterTest {
    /** name, reply hex, what ovs-ofctl ofp-print printed. */
    private static final String[][] CASES = {
        {"of10",
            "011101440000002a000400000001000000000000000000000000000100000000000000020000000000000003000000000000"
                + "000400000000000000050000000000000006000000000000000700000000000000080000000000000009000000000000000a"
                + "000000000000000b000000000000000cfffe000000000000ffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffff000c00000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000ffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffff",
            "OFPST_PORT reply (xid=0x2a): 3 ports\n"
                + "  port  1: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11\n"
                + "           tx pkts=2, bytes=4, drop=6, errs=8, coll=12\n"
                + "  port LOCAL: rx pkts=?, bytes=?, drop=?, errs=?, frame=?, over=?, crc=?\n"
                + "           tx pkts=?, bytes=?, drop=?, errs=?, coll=?\n"
                + "  port 12: rx pkts=0, bytes=0, drop=0, errs=?, frame=?, over=?, crc=?\n"
                + "           tx pkts=0, bytes=0, drop=0, errs=?, coll=?\n"},
        {"of10_more",
            "011100740000002a000400010003000000000000000000000000000100000000000000020000000000000003000000000000"
                + "000400000000000000050000000000000006000000000000000700000000000000080000000000000009000000000000000a"
                + "000000000000000b000000000000000c",
            "OFPST_PORT reply (xid=0x2a): flags=[more] 1 ports\n"
                + "  port  3: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11\n"
                + "           tx pkts=2, bytes=4, drop=6, errs=8, coll=12\n"},
        {"of13",
            "041301600000002a000400000000000000000001000000000000000000000001000000000000000200000000000000030000"
                + "0000000000040000000000000005000000000000000600000000000000070000000000000008000000000000000900000000"
                + "0000000a000000000000000b000000000000000c000000051dcd6500fffffffe00000000ffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff00000000000000000000fde8000000000000"
                + "0000000000010000000000000002000000000000000300000000000000040000000000000005000000000000000600000000"
                + "0000000700000000000000080000000000000009000000000000000a000000000000000b000000000000000c00000001000f"
                + "4240",
            "OFPST_PORT reply (OF1.3) (xid=0x2a): 3 ports\n"
                + "  port  1: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11\n"
                + "           tx pkts=2, bytes=4, drop=6, errs=8, coll=12\n"
                + "           duration=5.500s\n"
                + "  port LOCAL: rx pkts=?, bytes=?, drop=?, errs=?, frame=?, over=?, crc=?\n"
                + "           tx pkts=?, bytes=?, drop=?, errs=?, coll=?\n"
                + "           duration=0s\n"
                + "  port 65000: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11\n"
                + "           tx pkts=2, bytes=4, drop=6, errs=8, coll=12\n"
                + "           duration=1.001s\n"},
        {"of13_more_empty",
            "041300100000002a0004000100000000",
            "OFPST_PORT reply (OF1.3) (xid=0x2a): flags=[more] 0 ports\n"},
        {"of14",
            "051302e00000002a000400000000000001a000000000000200000007075bcd15000000000000000100000000000000020000"
                + "0000000000030000000000000004000000000000000500000000000000060000000000000007000000000000000800000028"
                + "000000000000000000000009000000000000000a000000000000000b000000000000000cffff00b80000aa01000000010000"
                + "0000ffffffffffffffff000000000000000300000000000000060000000000000009ffffffffffffffff000000000000000f"
                + "00000000000000120000000000000015ffffffffffffffff000000000000001b000000000000001e0000000000000021ffff"
                + "ffffffffffff0000000000000027000000000000002a000000000000002dffffffffffffffff000000000000003300000000"
                + "000000360000000000000039ffffffffffffffffffff00690000aa0100000002000000050d72785f71305f7061636b657473"
                + "00000000000000050b74785f71305f6279746573000000000000004d00000000000000000301780000000000000001136c6f"
                + "6e6765725f636f756e7465725f6e616d6580000000000000000000000000000001300000fffffffe00000007075bcd150000"
                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000000000000000002800000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffff00b80000aa010000000100000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "OFPST_PORT reply (OF1.4) (xid=0x2a): 2 ports\n"
                + "  port  2: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11\n"
                + "           tx pkts=2, bytes=4, drop=6, errs=8, coll=12\n"
                + "           duration=7.123456789s\n"
                + "           rx rfc2819 65_to_127_packets=3, 128_to_255_packets=6, 256_to_511_packets=9, 1024_to_1522_packets=15, 1523_to_max_packets=18, broadcast_packets=45, undersized_errors=51, oversize_errors=54, rx_fragmented_errors=57, \n"
                + "           tx rfc2819 1_to_64_packets=21, 128_to_255_packets=27, 256_to_511_packets=30, 512_to_1023_packets=33, 1523_to_max_packets=39, multicast_packets=42, \n"
                + "           CUSTOM Statistics\n"
                + "                      rx_q0_packets=5, tx_q0_bytes=77,\n"
                + "                      x=1, longer_counter_name=9223372036854775808,\n"
                + "  port LOCAL: rx pkts=0, bytes=0, drop=0, errs=0, frame=?, over=?, crc=?\n"
                + "           tx pkts=0, bytes=0, drop=0, errs=0, coll=?\n"
                + "           duration=7.123456789s\n"},
        {"of15",
            "061301100000002a000400000000000000b000000000000700000007075bcd15000000000000000000000000000000000000"
                + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000028"
                + "000000000000000000000000000000000000000000000000000000000000000000000000ffff00380000aa01000000020000"
                + "000401610000000000000001016200000000000000020163000000000000000301640000000000000004005000000000000b"
                + "00000007075bcd15ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                + "ffffffffffffffffffffffffffffffffffffffffffff",
            "OFPST_PORT reply (OF1.5) (xid=0x2a): 2 ports\n"
                + "  port  7: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0, crc=0\n"
                + "           tx pkts=0, bytes=0, drop=0, errs=0, coll=0\n"
                + "           duration=7.123456789s\n"
                + "           CUSTOM Statistics\n"
                + "                      a=1, b=2, c=3,\n"
                + "                      d=4,\n"
                + "  port 11: rx pkts=?, bytes=?, drop=?, errs=?, frame=?, over=?, crc=?\n"
                + "           tx pkts=?, bytes=?, drop=?, errs=?, coll=?\n"
                + "           duration=7.123456789s\n"},
    };

    @Test
    void everyReply_sameTextAsOvsOfctl() {
        for (String[] c : CASES) {
            assertEquals(c[2], PortStatsPrinter.dumpPorts(List.of(Unpooled.wrappedBuffer(Hex.decode(c[1])))), c[0]);
        }
    }

    @Test
    void recordedText_isStillWhatOvsOfctlPrints_live() {
        Tools.require("PortStatsPrinterTest live check", "ovs-ofctl");
        for (String[] c : CASES) {
            Tools.Result r = Tools.run(30, List.of("ovs-ofctl", "ofp-print", c[1]));
            assertEquals(c[2], r.stdout(), c[0]);
        }
    }
}
