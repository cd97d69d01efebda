package dev.ofswitch.lab.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * An external program an integration test runs next to the lab (a controller), started in a process group of its
 * own with its output in a log file, and killed with its whole group when closed, when the JVM exits, or when it
 * fails to start.
 *
 * <h2>Process groups</h2> The program runs under {@code setsid}, which (the JVM's child not being a group leader)
 * makes it the leader of a new session and group whose id is its pid, then execs it; {@link #close} sends SIGTERM to
 * {@code -pid}, then SIGKILL after {@value #TERM_GRACE_MS} ms, so helpers the program forked die with it. Without
 * {@code setsid} the process and its descendants are killed one by one.
 */
final class ExternalProcess implements AutoCloseable {
    private static final long TERM_GRACE_MS = 3000;

    /** Where the logs go, relative to the module (failsafe's working directory). */
    static final Path LOG_DIR = Path.of("target/it-logs");

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread reaper;
    /** The system property naming the port the program listens on, cleared on close; or null. */
    private volatile String portProperty;

    private ExternalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.reaper = new Thread(this::kill, "kill " + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    // ======================================================================================= tools and skipping

    /** Whether {@code tool} is an executable on the PATH. */
    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** A TCP port on 127.0.0.1 that was free a moment ago. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file on the test class path (src/test/resources), as a path. */
    static Path resource(String name) {
        java.net.URL url = ExternalProcess.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("no test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ============================================================================================== life cycle

    /**
     * Starts a controller on a free port of 127.0.0.1 ({@code command} gets the port), logging to
     * {@code LOG_DIR/LOGNAME}, and sets the system property {@code portProperty} to the port until {@link #close}, so
     * that {@code @LabTopology(controller = "remote,ip=127.0.0.1,port=${PROPERTY}")} finds it.
     */
    static ExternalProcess startController(String name, IntFunction<List<String>> command, String logName,
            String portProperty) throws IOException, InterruptedException {
        int port = freePort();
        ExternalProcess p = startListening(name, command.apply(port), LOG_DIR.toAbsolutePath().resolve(logName),
                port, Duration.ofSeconds(20));
        p.portProperty = portProperty;
        System.setProperty(portProperty, Integer.toString(port));
        return p;
    }

    /** {@code osken-manager} running {@code app}, a file of src/test/resources, as {@link #startController}. */
    static ExternalProcess startOsKen(String app, String logName, String portProperty)
            throws IOException, InterruptedException {
        Path file = resource(app);
        return startController("osken-manager", port -> List.of("osken-manager", "--ofp-listen-host", "127.0.0.1",
                "--ofp-tcp-listen-port", Integer.toString(port), file.toString()), logName, portProperty);
    }

    /**
     * Starts {@code command} with stdout and stderr in {@code log}, and waits until it accepts TCP connections on
     * {@code 127.0.0.1:port}. Fails the test (after killing it) with the log's tail if it exits or does not listen
     * within {@code timeout}.
     */
    static ExternalProcess startListening(String name, List<String> command, Path log, int port, Duration timeout)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (onPath("setsid")) {
            cmd.add("setsid");
        }
        cmd.addAll(command);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ExternalProcess ext = new ExternalProcess(name, p, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!p.isAlive()) {
                String tail = ext.logTail(30);
                ext.close();
                fail(name + " exited with status " + p.exitValue() + " before listening on port " + port + ": "
                        + String.join(" ", command) + "\n" + tail);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return ext;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - deadline > 0) {
                String tail = ext.logTail(30);
                ext.close();
                fail(name + " did not listen on port " + port + " within " + timeout.toSeconds() + " s: "
                        + String.join(" ", command) + "\n" + tail);
            }
            Thread.sleep(50);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return log;
    }

    /** Everything the program printed so far. */
    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code n} lines of the log, headed by its path, for failure messages. */
    String logTail(int n) {
        List<String> lines = logText().lines().toList();
        return "--- last " + Math.min(n, lines.size()) + " lines of " + log + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** The log lines that satisfy {@code p}. */
    List<String> logLines(Predicate<String> p) {
        return logText().lines().filter(p).toList();
    }

    /** Waits until at least {@code count} log lines contain {@code text}; false on timeout. */
    boolean awaitLog(String text, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (logLines(l -> l.contains(text)).size() < count) {
            if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Kills the program and its process group, and clears its port property; a second call does nothing. */
    @Override
    public void close() {
        String property = portProperty;
        if (property != null) {
            System.clearProperty(property);
        }
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void kill() {
        if (!process.isAlive()) {
            return;
        }
        long pid = process.pid();
        signalGroup("TERM", pid);
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(TERM_GRACE_MS, TimeUnit.MILLISECONDS)) {
                signalGroup("KILL", pid);
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(TERM_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) {
            System.err.println("*** " + name + " (pid " + pid + ") survived SIGKILL");
        }
    }

    /** {@code kill -SIG -- -PGID}: the group exists only if setsid made one; failures are harmless. */
    private static void signalGroup(String sig, long pgid) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): destroy() below still ends the process itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
