package dev.ofswitch.lab.cli;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.ofswitch.codec.MatchEntry;
import dev.ofswitch.ofswitch.table.FlowEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A switch's flow table as text: {@code ovs-ofctl -O OpenFlow13 dump-flows unix:RUNDIR/S.mgmt} when ovs-ofctl is
 * installed (so the text is exactly OVS's), else a short listing of our own (table, priority, counters, match) until
 * the project prints OVS's flow syntax itself.
 */
final class FlowDump {
    private FlowDump() {
    }

    static String dump(Lab lab, String sw) {
        Path mgmt = lab.runDir().resolve(sw + ".mgmt");
        if (Files.exists(mgmt) && onPath("ovs-ofctl")) {
            String text = ovsOfctl(mgmt);
            if (text != null) {
                return text;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (FlowEntry e : lab.switchNode(sw).flowTables().all()) {
            sb.append(" table=").append(e.tableId()).append(", n_packets=").append(e.packets()).append(", n_bytes=")
                    .append(e.bytes()).append(", priority=").append(e.priority());
            for (MatchEntry m : e.match().entries()) {
                sb.append(',').append(m);
            }
            sb.append(" actions=(").append(e.instructions().list().size()).append(" instructions)\n");
        }
        return sb.toString();
    }

    private static String ovsOfctl(Path mgmt) {
        try {
            List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", "dump-flows",
                    "unix:" + mgmt));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
