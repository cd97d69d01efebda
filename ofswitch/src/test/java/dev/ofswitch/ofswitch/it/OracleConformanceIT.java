package dev.ofswitch.ofswitch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every oracle case through real Open vSwitch's differential oracle with this switch behind it
 * ({@code ovs-oracle --switch-cmd 'java -jar ofswitch.jar --oracle {dir} {ports} {ofport}'}) and requires the report
 * to be byte-identical to the one real OVS 3.1 produced ({@code expected.txt}).
 *
 * <p>Cases: the shared examples and cases ({@code ../shared/oracle/examples}, {@code ../shared/oracle/cases}) and
 * the project's own under {@code ct-actions/src/test/resources/oracle}. A case directory holds {@code flows.txt},
 * {@code packets.hex.txt} (or {@code packets.txt}), {@code expected.txt} and optionally {@code options} (more
 * ovs-oracle arguments). Needs {@code ovs-ofctl} (Debian's openvswitch-common) and the oracle; without them the test
 * is skipped with a notice saying what is missing.
 */
class OracleConformanceIT {
    private static final Path REPO = Path.of(System.getProperty("ofswitch.repo", "..")).toAbsolutePath().normalize();
    private static final Path ORACLE = Path.of(System.getProperty("oracle.dir",
            REPO.resolve("../shared/oracle").toString())).toAbsolutePath().normalize();
    private static final Path JAR = REPO.resolve("ofswitch/target/ofswitch.jar");

    @TestFactory
    Stream<DynamicTest> everyCase_matchesRealOvs() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(ORACLE.resolve("ovs-oracle")),
                () -> notice("the oracle is not at " + ORACLE + " (set -Doracle.dir)"));
        Assumptions.assumeTrue(onPath("ovs-ofctl"), () -> notice("ovs-ofctl is not installed "
                + "(apt-get install openvswitch-common)"));
        assertTrue(Files.exists(JAR), "the switch jar is missing: " + JAR + " (run mvn package first)");
        List<Path> cases = new ArrayList<>();
        cases.addAll(caseDirs(ORACLE.resolve("examples")));
        cases.addAll(caseDirs(ORACLE.resolve("cases")));
        cases.addAll(caseDirs(REPO.resolve("ct-actions/src/test/resources/oracle")));
        return cases.stream().map(dir -> DynamicTest.dynamicTest(REPO.relativize(dir).toString()
                .replace("../shared/", "shared/"), () -> runCase(dir)));
    }

    private static String notice(String why) {
        String msg = "SKIPPED OracleConformanceIT: " + why;
        System.err.println("*** " + msg);
        return msg;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> caseDirs(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.list(root)) {
            s.filter(d -> Files.exists(d.resolve("flows.txt")) && Files.exists(d.resolve("expected.txt")))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    private static void runCase(Path dir) throws IOException, InterruptedException {
        Path script = Files.exists(dir.resolve("packets.hex.txt")) ? dir.resolve("packets.hex.txt")
                : dir.resolve("packets.txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(ORACLE.resolve("ovs-oracle").toString());
        if (Files.exists(dir.resolve("options"))) {
            for (String o : Files.readString(dir.resolve("options")).trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    cmd.add(o);
                }
            }
        }
        cmd.add("--switch-cmd");
        cmd.add("java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar " + JAR + " --oracle {dir} {ports} {ofport}");
        cmd.add(dir.resolve("flows.txt").toString());
        cmd.add(script.toString());
        Path out = Files.createTempFile("oracle-", ".out");
        Path err = Files.createTempFile("oracle-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(ORACLE.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ovs-oracle did not finish within 180 s for " + dir);
            }
            String report = Files.readString(out, StandardCharsets.UTF_8);
            String errTail = tail(err);
            assertEquals(0, p.exitValue(), () -> "ovs-oracle failed for " + dir + ": " + errTail);
            assertEquals(Files.readString(dir.resolve("expected.txt")), report, () -> "report differs for " + dir);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String tail(Path p) throws IOException {
        List<String> lines = Files.readAllLines(p);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
