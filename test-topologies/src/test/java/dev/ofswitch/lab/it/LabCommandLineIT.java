package dev.ofswitch.lab.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged command line, in a process of its own as {@code bin/lab} runs it ({@code java -jar lab.jar}; bin/lab
 * itself would first check whether the jar needs rebuilding, which is not a test's business):
 * {@code --topo linear,4 --test pingall} prints Mininet's results line and exits 0. {@code MininetParityTest} checks
 * the whole output in-process.
 */
class LabCommandLineIT {
    private static final Path JAR = Path.of("target/lab.jar");

    @Test
    void testPingall_linear4_printsMininetsResultsAndExitsZero() throws Exception {
        assertTrue(Files.exists(JAR), "the lab jar is missing: " + JAR.toAbsolutePath() + " (mvn package)");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toString(), "--topo", "linear,4", "--test", "pingall", "--no-unixctl"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lab did not exit within 60 s:\n" + out);
        }
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("""
                *** Ping: testing ping reachability
                h1 -> h2 h3 h4\s
                h2 -> h1 h3 h4\s
                h3 -> h1 h2 h4\s
                h4 -> h1 h2 h3\s
                *** Results: 0% dropped (12/12 received)
                """), out);
        assertTrue(out.contains("*** Done\ncompleted in "), out);
    }
}
