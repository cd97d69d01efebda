package dev.ofswitch.ofswitch;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ovs-ofctl monitor TARGET 65534} as a child process (not --detach), with its own unixctl socket in a temp
 * directory, so a test can wait until it is set up ({@code ofctl/barrier}) and read what it prints.
 */
final class OfctlMonitor implements AutoCloseable {
    private final Process process;
    private final Path ctl;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    OfctlMonitor(List<String> protocolArgs, String target, Path dir) throws IOException {
        this.ctl = dir.resolve("monitor.ctl");
        List<String> cmd = new ArrayList<>(List.of("ovs-ofctl"));
        cmd.addAll(protocolArgs);
        cmd.addAll(List.of("monitor", target, "65534", "--unixctl=" + ctl));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                }
            } catch (IOException e) {
                // The monitor exited.
            }
        }, "ofctl-monitor-reader");
        reader.setDaemon(true);
        reader.start();
        // Ready once its control socket answers a barrier sent through its OpenFlow connection: by then the switch
        // has processed its SET_CONFIG and packet-in format requests.
        Tools.await("ovs-ofctl monitor to come up (" + ctl + ")", 10_000, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("ovs-ofctl monitor exited: " + text());
            }
            return Files.exists(ctl) && Tools.run(10, List.of("ovs-appctl", "-t", ctl.toString(), "ofctl/barrier"))
                    .exitCode() == 0;
        });
    }

    /** Everything printed so far. */
    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    String text() {
        return String.join("\n", lines());
    }

    /** Waits until a line containing {@code needle} was printed; returns that line and the one after it. */
    List<String> awaitLine(String needle) {
        List<String> found = new ArrayList<>();
        Tools.await("ovs-ofctl monitor to print \"" + needle + "\"; it printed:\n" + text(), 10_000, () -> {
            List<String> now = lines();
            for (int i = 0; i + 1 < now.size(); i++) {
                if (now.get(i).contains(needle)) {
                    found.add(now.get(i));
                    found.add(now.get(i + 1));
                    return true;
                }
            }
            return false;
        });
        return found;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        reader.join(10_000);
    }
}
