package dev.ofswitch.ofswitch;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs for the integration tests (ovs-ofctl, ovs-appctl, the ovs-oracle tool): finding them, skipping
 * loudly when they are missing, running them with a deadline, and polling for a condition with a deadline instead of
 * sleeping.
 */
public final class Tools {
    /** Where the shared oracle lives on the project machines; OVS_ORACLE overrides it. */
    public static final Path ORACLE = Path.of(System.getenv().getOrDefault("OVS_ORACLE", "/work/shared/oracle/ovs-oracle"));

    private Tools() {
    }

    /** The absolute path of {@code name} on PATH (or in /usr/sbin, where Debian puts ovs-vswitchd), or null. */
    public static Path which(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Skips the calling test class (or test) unless every tool is on PATH, with a banner on stderr so a skipped run
     * is not mistaken for a passing one.
     */
    public static void require(String why, String... tools) {
        List<String> missing = new ArrayList<>();
        for (String t : tools) {
            if (which(t) == null) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            skipLoudly(why + ": " + String.join(", ", missing) + " not found on PATH");
        }
    }

    /** Skips unless the ovs-oracle tool and a real ovs-vswitchd are installed. */
    static void requireOracle(String why) {
        require(why, "ovs-vswitchd", "ovsdb-server", "ovsdb-tool", "ovs-vsctl", "ovs-ofctl", "python3");
        if (!Files.isExecutable(ORACLE)) {
            skipLoudly(why + ": " + ORACLE + " not found (set OVS_ORACLE)");
        }
    }

    /** Banners already printed: one per reason, however many tests it skips. */
    private static final java.util.Set<String> ANNOUNCED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Aborts the current test with {@code message} (surefire counts it as skipped) after printing a banner on
     * stderr, once per message. Call it per test (in {@code @BeforeEach}), not in {@code @BeforeAll}: a class aborted
     * there shows up as "Tests run: 0, Skipped: 0", which is easy to mistake for success.
     */
    public static void skipLoudly(String message) {
        if (ANNOUNCED.add(message)) {
            String line = "*".repeat(Math.min(120, message.length() + 18));
            System.err.println("\n" + line + "\n***** SKIPPED: " + message + "\n" + line + "\n");
        }
        Assumptions.abort("SKIPPED: " + message);
    }

    /** What a finished command printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Fails unless the command exited 0. */
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("command failed (exit " + exitCode + "):\n" + stdout + stderr);
            }
            return this;
        }

        List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }

    /** Runs a command, waiting at most {@code timeoutSeconds}; stdin is closed. */
    public static Result run(long timeoutSeconds, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            StreamReader out = new StreamReader(p.getInputStream());
            StreamReader err = new StreamReader(p.getErrorStream());
            out.start();
            err.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command)
                        + "\n" + out.text() + err.text());
            }
            out.join();
            err.join();
            return new Result(p.exitValue(), out.text(), err.text());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static Result run(String... command) {
        return run(20, List.of(command));
    }

    /** Drains a stream on its own thread so a chatty child never blocks. */
    static final class StreamReader extends Thread {
        private final InputStream in;
        private final StringBuilder sb = new StringBuilder();

        StreamReader(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                byte[] all = in.readAllBytes();
                synchronized (sb) {
                    sb.append(new String(all, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The process went away; what was read stays.
            }
        }

        String text() {
            synchronized (sb) {
                return sb.toString();
            }
        }
    }

    /** Polls {@code condition} every few milliseconds until it holds or {@code timeoutMillis} pass. */
    static void await(String what, long timeoutMillis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what);
            }
            try {
                Thread.sleep(5);    // a polling interval, not a timing assumption: the deadline above bounds the wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
