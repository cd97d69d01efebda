package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ofswitch.conntrack.time.ControllableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the unixctl server (what {@code ovs-appctl} talks to) with every command a switch
 * registers: the fuzzer's bytes go to a fresh switch's control socket as one client's whole stream.
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>the server answers each request it can read with a JSON-RPC reply, {@code {"id", "result", "error"}} with
 * exactly one of a string result or a string error ending in a newline, and never an internal error (an exception
 * in a command); on bytes that are not JSON it closes the connection: the client always reads to the end within
 * 10 seconds (a clean close, not a hang);</li>
 * <li>the server keeps serving: a second client then gets its {@code version}.</li>
 * </ul>
 *
 * <p>{@code mvn test} replays the inputs under {@code src/test/resources/dev/ofswitch/ofswitch/UnixctlFuzzTestInputs/}
 * (a request for each command, and inputs that once failed); {@code bin/fuzz UnixctlFuzzTest} fuzzes.
 */
class UnixctlFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("id", "result", "error");

    private static SwitchRuntime runtime;
    private static Path dir;

    private static synchronized Path socket() {
        if (runtime == null) {
            runtime = SwitchRuntime.shared(1, 1);
            try {
                dir = Files.createTempDirectory("ufz");
                dir.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir.resolve("s.ctl");
    }

    /** Words of the commands' syntax and numbers at the edges of their types, for the fuzzer to splice in. */
    @DictionaryEntries({"\"method\":\"", "\"params\":[", "\"id\":", "time/warp", "time/stop", "netdev-dummy/receive",
        "dpctl/dump-conntrack", "dpctl/flush-conntrack", "dpctl/ct-set-maxconns", "dpctl/ct-set-limits",
        "dpctl/ct-del-limits", "dpctl/ct-get-limits", "dpctl/ct-stats-show", "dpctl/ct-bkts", "zone=", "limit=",
        "default=", "mark=", "labels=", "ct-orig-tuple=", "ct-reply-tuple=", "ct_nw_src=", "ct_ipv6_src=",
        "ct_tp_src=", "icmp_id=", "icmp_type=", "gt=", "--qid", "--len", "-m", "-s", "p1", "0x", "65535", "65536",
        "2147483648", "4294967295", "4294967296", "9223372036854775807", "-1"})
    @FuzzTest(maxDuration = "10m")
    void stream_isAnsweredOrClosedAndTheServerServesTheNextClient(byte[] data) throws IOException {
        Path ctl = socket();
        try (OfSwitch sw = new OfSwitch(SwitchConfig.defaults().ports(2).clock(ControllableClock.manual(0))
                .unixctl(ctl).runtime(runtime))) {
            sw.start();
            String what = "after " + HexFormat.of().formatHex(data);
            for (JsonNode reply : exchange(ctl, data, what)) {
                checkReply(reply, what);
            }
            assertEquals(0, sw.unixctl().internalErrors(), () -> "no command failed with an exception " + what);
            List<JsonNode> next = exchange(ctl, "{\"id\":7,\"method\":\"version\",\"params\":[]}"
                    .getBytes(StandardCharsets.US_ASCII), what);
            assertEquals(1, next.size(), () -> "the next client is served " + what);
            assertEquals(7, next.get(0).path("id").asInt(), what);
            assertTrue(next.get(0).path("result").asText().startsWith("ofswitch "), () -> next + " " + what);
        }
    }

    private static void checkReply(JsonNode reply, String what) {
        assertTrue(reply.isObject(), () -> "a reply is an object: " + reply + " " + what);
        List<String> names = new ArrayList<>();
        reply.fieldNames().forEachRemaining(names::add);
        assertEquals(FIELDS, Set.copyOf(names), () -> "id, result, error: " + reply + " " + what);
        assertEquals(3, names.size(), () -> reply + " " + what);
        JsonNode result = reply.get("result");
        JsonNode error = reply.get("error");
        if (error.isNull()) {
            assertTrue(result.isTextual(), () -> "a result is text: " + reply + " " + what);
        } else {
            assertTrue(result.isNull(), () -> "no result with an error: " + reply + " " + what);
            assertTrue(error.isTextual() && error.asText().endsWith("\n"),
                    () -> "an error is a line of text: " + reply + " " + what);
        }
    }

    /**
     * Connects, sends {@code request}, closes the sending side and reads until the server closes; returns the JSON
     * values read (the replies follow each other without separators).
     */
    private static List<JsonNode> exchange(Path ctl, byte[] request, String what) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(ctl));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            ByteBuffer out = ByteBuffer.wrap(request);
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            long deadline = System.nanoTime() + 10_000_000_000L;
            boolean outputShut = false;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("the server neither answered nor closed within 10 s " + what + "; got "
                            + got.toString(StandardCharsets.UTF_8));
                }
                selector.select(Math.max(1, left / 1_000_000));
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    it.next();
                    it.remove();
                }
                if (out.hasRemaining()) {
                    ch.write(out);
                }
                if (!out.hasRemaining() && !outputShut) {
                    ch.shutdownOutput();
                    outputShut = true;
                    ch.keyFor(selector).interestOps(SelectionKey.OP_READ);
                }
                int n = ch.read(in);
                if (n > 0) {
                    got.write(in.array(), 0, in.position());
                    in.clear();
                } else if (n < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // The server may close while we still write (it stops at the first bad byte): a clean close too.
            if (!(e.getMessage() != null && e.getMessage().contains("Broken pipe"))) {
                throw e;
            }
        }
        List<JsonNode> replies = new ArrayList<>();
        try (JsonParser p = JSON.getFactory().createParser(got.toByteArray())) {
            while (p.nextToken() != null) {
                replies.add(JSON.readTree(p));
            }
        }
        return replies;
    }
}
