package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the topology file loader: whatever bytes a file holds, {@link TopologyFiles#load} either
 * returns a validated topology that survives a save/load round trip, or throws one {@link TopologyException} whose
 * one-line message starts with the file's name; any other exception is a bug.
 *
 * <p>{@code mvn test} replays the inputs under {@code src/test/resources/dev/ofswitch/lab/topo/
 * TopologyFilesFuzzTestInputs/} (the shipped topologies and every input that once failed); {@code bin/fuzz} fuzzes.
 */
class TopologyFilesFuzzTest {
    /** One file for every input: the loader reads a path, as {@code bin/lab --topo FILE} does. */
    private static Path file;

    @FuzzTest(maxDuration = "5m")
    void load_isATopologyOrAClearError(byte[] data) throws IOException {
        Path f = file();
        Files.write(f, data);
        Topology t;
        try {
            t = TopologyFiles.load(f);
        } catch (TopologyException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith(f + ": "), () -> "the message names the file: " + message);
            assertFalse(message.contains("\n"), () -> "one line: " + message);
            return;
        }
        // A loaded topology is valid, and saving it gives the same topology back.
        assertEquals(t, TopologyFiles.parse(TopologyFiles.toJson(t), "saved.json"));
    }

    private static synchronized Path file() {
        if (file == null) {
            try {
                Path dir = Files.createTempDirectory("topo-fuzz");
                dir.toFile().deleteOnExit();
                file = dir.resolve("fuzz.json");
                file.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
