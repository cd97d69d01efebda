package dev.ofswitch.ofswitch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a classic libpcap file (not pcapng) as the switch writes it: a 24-byte global header in either byte order,
 * then records of ts_sec, ts_usec/nsec, incl_len, orig_len and the frame.
 */
final class Pcap {
    private Pcap() {
    }

    /** The frames in {@code file}, as lowercase hex; empty if the file does not exist. */
    static List<String> frames(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < 24) {
            throw new AssertionError(file + ": no pcap global header (" + b.remaining() + " bytes)");
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                throw new AssertionError(file + ": not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
            }
        }
        if (b.getShort(4) != 2 || b.getShort(6) != 4 || b.getInt(20) != 1) {
            throw new AssertionError(file + ": expected pcap 2.4 with LINKTYPE_ETHERNET");
        }
        int at = 24;
        while (at < b.limit()) {
            if (b.limit() - at < 16) {
                throw new AssertionError(file + ": truncated record header at " + at);
            }
            int incl = b.getInt(at + 8);
            int orig = b.getInt(at + 12);
            if (incl != orig || b.limit() - at - 16 < incl) {
                throw new AssertionError(file + ": bad record at " + at + " (incl " + incl + ", orig " + orig + ")");
            }
            byte[] frame = new byte[incl];
            b.get(at + 16, frame);
            out.add(HexFormat.of().formatHex(frame));
            at += 16 + incl;
        }
        return out;
    }

    /** The frames appended to {@code file} since it held {@code before} of them. */
    static List<String> since(Path file, int before) throws IOException {
        List<String> all = frames(file);
        return all.subList(Math.min(before, all.size()), all.size());
    }
}
