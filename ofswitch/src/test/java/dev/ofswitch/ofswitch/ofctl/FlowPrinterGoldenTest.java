package dev.ofswitch.ofswitch.ofctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.codec.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link FlowPrinter} against what ovs-ofctl 3.1 printed, without Open vSwitch installed: golden/ofctl-dump-flows.txt
 * holds flow stats replies this switch sent and the text {@code ovs-ofctl dump-flows} printed from them (recorded by
 * {@code OfctlDumpFlowsDifferentialIT} with {@code -Dofctl.golden.write}, which says how), for OpenFlow 1.0
 * (NXST_FLOW), 1.3, 1.4 and 1.5, with statistics, {@code --no-stats}, {@code --sort} and {@code --rsort=FIELD}; and
 * the flow stats replies of golden/encoders.txt, whose comments are {@code ovs-ofctl ofp-print}'s text.
 */
class FlowPrinterGoldenTest {
    /** One recorded table: its reply messages, and per option set what ovs-ofctl printed. */
    record Dump(String name, List<byte[]> replies, Map<String, String> texts) {
    }

    static List<Dump> load() throws IOException {
        List<Dump> out = new ArrayList<>();
        try (InputStream in = FlowPrinterGoldenTest.class.getResourceAsStream("/golden/ofctl-dump-flows.txt")) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Dump cur = null;
            String key = null;
            for (String l : all.split("\n")) {
                if (l.startsWith("@dump ")) {
                    cur = new Dump(l.substring(6), new ArrayList<>(), new LinkedHashMap<>());
                    out.add(cur);
                } else if (l.startsWith("reply ")) {
                    cur.replies().add(Hex.decode(l.substring(6)));
                } else if (l.startsWith("@text")) {
                    key = l.substring(5).trim();
                    cur.texts().put(key, "");
                } else if (l.startsWith("text ")) {
                    cur.texts().merge(key, l.substring(5) + "\n", String::concat);
                }
            }
        }
        return out;
    }

    @Test
    void printsWhatOvsOfctlPrinted() throws Exception {
        int dumps = 0;
        int lines = 0;
        List<String> failures = new ArrayList<>();
        for (Dump d : load()) {
            for (Map.Entry<String, String> t : d.texts().entrySet()) {
                List<ByteBuf> bufs = new ArrayList<>();
                for (byte[] r : d.replies()) {
                    bufs.add(Unpooled.wrappedBuffer(r));
                }
                FlowPrinter.Options o = t.getKey().isEmpty() ? FlowPrinter.Options.DEFAULT
                        : FlowPrinter.Options.fromArgs(t.getKey().split(" "));
                String ours = FlowPrinter.dumpFlows(bufs, o);
                if (!ours.equals(t.getValue())) {
                    failures.add(d.name() + " " + t.getKey() + "\n--- ovs-ofctl\n" + t.getValue() + "--- printer\n"
                            + ours);
                }
                dumps++;
                lines += (int) t.getValue().lines().filter(x -> x.startsWith(" ")).count();
            }
        }
        // golden/encoders.txt: flow stats replies of our encoder with ovs-ofctl ofp-print's text as the comment.
        String enc;
        try (InputStream in = FlowPrinterGoldenTest.class.getResourceAsStream("/golden/encoders.txt")) {
            enc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] el = enc.split("\n");
        for (int i = 0; i + 1 < el.length; i++) {
            if (el[i].startsWith("# flow_stats_reply_")) {
                String name = el[i].substring(2, el[i].indexOf(':'));
                String want = el[i].substring(el[i].indexOf(':') + 2).replace(" | ", "\n ") + "\n";
                String ours = FlowPrinter.dumpFlows(List.of(Unpooled.wrappedBuffer(Hex.decode(el[i + 1]))),
                        FlowPrinter.Options.DEFAULT);
                if (!ours.equals(want)) {
                    failures.add("encoders.txt " + name + "\n--- ovs-ofctl\n" + want + "--- printer\n" + ours);
                }
                dumps++;
            }
        }
        System.out.println("FlowPrinterGoldenTest: " + dumps + " recorded dumps, " + lines + " flow lines");
        assertTrue(dumps > 40 && lines > 1000, "the golden file is there and complete");
        assertEquals(List.of(), failures);
    }
}
