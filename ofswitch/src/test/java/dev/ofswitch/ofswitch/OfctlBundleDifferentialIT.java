package dev.ofswitch.ofswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ovs-ofctl --bundle} against this switch and against a real ovs-vswitchd 3.1, side by side: the same
 * add-flows, add-flow, mod-flows, del-flows and replace-flows commands (and one bundle that fails in its middle) go to
 * both in OpenFlow 1.3 (ONF bundle messages), 1.4 and 1.5 (OFPT_BUNDLE_*), and after each command the two
 * {@code dump-flows} (durations dropped) and ovs-ofctl's exit status and error text must be the same. Skipped, loudly,
 * without ovs-ofctl or the shared oracle's ovs-vswitchd.
 */
class OfctlBundleDifferentialIT {
    static final String FLOWS = String.join("\n",
            "table=0,priority=100,ip,nw_src=10.0.0.1,actions=output:2",
            "table=0,priority=100,ip,nw_src=10.0.0.2,actions=output:3",
            "table=0,priority=50,tcp,tp_dst=80,actions=goto_table:1",
            "table=0,priority=0,actions=drop",
            "table=1,cookie=0x1f,priority=10,tcp,actions=output:1",
            "table=1,priority=20,tcp,nw_dst=192.168.0.0/16,actions=mod_nw_tos:16,output:4",
            "table=2,priority=5,udp,actions=ct(commit,zone=5),output:1",
            "");
    static final String REPLACEMENT = String.join("\n",
            "table=0,priority=100,ip,nw_src=10.0.0.1,actions=output:4",
            "table=0,priority=0,actions=drop",
            "table=1,cookie=0x1f,priority=10,tcp,actions=output:1",
            "table=3,priority=7,arp,actions=flood",
            "");
    /** Flows 1 and 3 are fine; flow 2 refers to a group that does not exist, so the whole bundle must fail. */
    static final String FAILING = String.join("\n",
            "table=5,priority=1,actions=drop",
            "table=5,priority=2,actions=group:9",
            "table=5,priority=3,actions=drop",
            "");

    Path dir;
    LiveSwitch ours;
    LiveSwitch ovs;

    @BeforeEach
    void start(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Tools.require("ovs-ofctl --bundle differential", "ovs-ofctl");
        Tools.requireOracle("ovs-ofctl --bundle differential");
        dir = tmp;
        Files.createDirectories(tmp.resolve("ours"));
        ours = LiveSwitch.start(tmp.resolve("ours"), 4);
        ovs = LiveSwitch.startOvs(tmp.resolve("theirs"));
    }

    @AfterEach
    void stop() {
        if (ours != null) {
            ours.close();
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    /** Runs {@code ovs-ofctl -O VERSION --bundle ARGS} on both switches; returns both results. */
    List<Tools.Result> both(String version, String... args) {
        List<Tools.Result> out = new ArrayList<>();
        for (LiveSwitch s : List.of(ours, ovs)) {
            List<String> cmd = new ArrayList<>(List.of("-O", version, "--bundle"));
            cmd.addAll(List.of(args));
            out.add(s.ofctl(60, cmd.toArray(String[]::new)));
        }
        return out;
    }

    /** Checks that both switches answered {@code step} alike and hold the same flows; returns the flows. */
    List<String> same(String step, List<Tools.Result> results, String version) {
        Tools.Result a = results.get(0);
        Tools.Result b = results.get(1);
        assertEquals(b.exitCode(), a.exitCode(), step + ": exit status\nours: " + a.stderr() + "\novs: " + b.stderr());
        assertEquals(b.stderr().replace(ovs.target(), "TARGET"), a.stderr().replace(ours.target(), "TARGET"),
                step + ": ovs-ofctl's messages");
        List<String> theirs = LiveSwitch.flows(ovs.ofctl("-O", version, "dump-flows", "TARGET"));
        List<String> mine = LiveSwitch.flows(ours.ofctl("-O", version, "dump-flows", "TARGET"));
        assertEquals(theirs, mine, step + ": dump-flows");
        return mine;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"OpenFlow13", "OpenFlow14", "OpenFlow15"})
    void bundleCommands_leaveTheSameTablesAsOvs(String version) throws IOException {
        Path flows = Files.writeString(dir.resolve("flows.txt"), FLOWS);
        Path replacement = Files.writeString(dir.resolve("replacement.txt"), REPLACEMENT);
        Path failing = Files.writeString(dir.resolve("failing.txt"), FAILING);

        assertEquals(7, same("add-flows", both(version, "add-flows", "TARGET", flows.toString()), version).size());
        same("add-flow", both(version, "add-flow", "TARGET", "table=0,priority=60,udp,actions=output:3"), version);
        same("mod-flows", both(version, "mod-flows", "TARGET", "table=0,ip,actions=output:1"), version);
        same("mod-flows --strict", both(version, "--strict", "mod-flows", "TARGET",
                "table=1,priority=10,tcp,actions=output:2"), version);
        same("del-flows", both(version, "del-flows", "TARGET", "table=0,udp"), version);
        same("del-flows --strict", both(version, "--strict", "del-flows", "TARGET",
                "table=1,priority=20,tcp,nw_dst=192.168.0.0/16"), version);
        List<String> before = same("replace-flows", both(version, "replace-flows", "TARGET", replacement.toString()),
                version);
        assertEquals(4, before.size(), before.toString());

        List<Tools.Result> failed = both(version, "add-flows", "TARGET", failing.toString());
        assertNotEquals(0, failed.get(0).exitCode(), "the failing bundle fails");
        assertTrue(failed.get(0).stderr().contains("OFPBAC_BAD_OUT_GROUP"), failed.get(0).stderr());
        assertEquals(before, same("failing add-flows", failed, version), "and changes nothing");

        same("del-flows (all)", both(version, "del-flows", "TARGET"), version);
    }
}
