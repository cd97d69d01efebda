package dev.ofswitch.ofswitch.port;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends Ethernet frames to a classic libpcap file (not pcapng), as OVS's {@code netdev-dummy} {@code tx_pcap} does.
 *
 * <pre>
 * global header (24 bytes, written once when the file is empty, little endian):
 *   magic 0xa1b2c3d4 (microseconds) | version 2.4 | thiszone 0 | sigfigs 0 | snaplen 65535 | network 1 (Ethernet)
 * per frame: ts_sec | ts_usec | incl_len | orig_len (16 bytes) + the frame, never truncated
 * </pre>
 *
 * Each record is handed to the file (one gathering write, so the OS page cache holds it) before {@link #write}
 * returns, so a reader that looks right after (the oracle does) never sees half a record. Append only: an existing file is never truncated.
 *
 * <h2>Thread-safety</h2> {@link #write} is synchronized; frames from several datapath threads interleave whole.
 */
public final class PcapWriter implements AutoCloseable {
    /** Microsecond-resolution magic number. */
    static final int MAGIC = 0xa1b2c3d4;
    static final int GLOBAL_HEADER_LEN = 24;
    static final int RECORD_HEADER_LEN = 16;
    static final int SNAPLEN = 65535;
    static final int LINKTYPE_ETHERNET = 1;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_LEN).order(ByteOrder.LITTLE_ENDIAN);

    /** Opens {@code path} for appending, creating it with the global header if it is new or empty. */
    public PcapWriter(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (channel.size() == 0) {
            ByteBuffer g = ByteBuffer.allocate(GLOBAL_HEADER_LEN).order(ByteOrder.LITTLE_ENDIAN);
            g.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
                    .putInt(LINKTYPE_ETHERNET);
            g.flip();
            writeFully(g);
            channel.force(false);
        }
    }

    public Path path() {
        return path;
    }

    /** Appends one frame with a timestamp of {@code timeMicros} (the switch clock; readers may ignore it). */
    public synchronized void write(byte[] frame, int off, int len, long timeMicros) throws IOException {
        header.clear();
        header.putInt((int) (timeMicros / 1_000_000L)).putInt((int) (timeMicros % 1_000_000L)).putInt(len)
                .putInt(len);
        header.flip();
        ByteBuffer body = ByteBuffer.wrap(frame, off, len);
        ByteBuffer[] both = {header, body};
        long want = RECORD_HEADER_LEN + (long) len;
        long done = 0;
        while (done < want) {
            done += channel.write(both);
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
