package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.ofctl.RandomFlows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RandomFlows} keeps its promise: the switch accepts every flow it generates, as ovs-ofctl sends them
 * ({@code add-flows} waits for the switch's replies and fails on any OFPT_ERROR). Skipped, loudly, without ovs-ofctl.
 */
class RandomFlowsAcceptedTest {
    @TempDir
    Path dir;
    LiveSwitch s;

    @BeforeEach
    void start() throws IOException {
        Tools.require("RandomFlows against a live switch", "ovs-ofctl");
        s = LiveSwitch.start(dir, 4);
    }

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private void addAll(String version, long seed, int n) throws IOException {
        List<String> flows = new RandomFlows(seed).flows(n);
        Path file = dir.resolve("random-" + version + ".txt");
        Files.write(file, flows);
        Tools.Result r = s.ofctl("-O", version, "add-flows", "TARGET", file.toString());
        assertEquals("", r.stderr(), version + ": the switch refused a flow");
        r.ok();
        List<String> dumped = LiveSwitch.flows(s.ofctl("-O", version, "dump-flows", "TARGET"));
        // Flows with the same table, priority and match replace each other; there are few such pairs.
        assertTrue(dumped.size() > n * 9 / 10 && dumped.size() <= new LinkedHashSet<>(flows).size(),
                version + ": " + dumped.size() + " flows in the tables after adding " + n);
    }

    @Test
    void of13_everyRandomFlowAccepted() throws IOException {
        addAll("OpenFlow13", 20260501L, 2000);
    }

    @Test
    void of15_everyRandomFlowAccepted() throws IOException {
        addAll("OpenFlow15", 99L, 1000);
    }
}
