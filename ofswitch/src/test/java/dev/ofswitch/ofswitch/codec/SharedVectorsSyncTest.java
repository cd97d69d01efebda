package dev.ofswitch.ofswitch.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The golden copies in src/test/resources/golden must equal shared/vectors/ovs-ofctl when that directory is there
 * (next to the repository, as on developer machines and in CI); elsewhere the test is skipped, saying so.
 */
class SharedVectorsSyncTest {
    private static Path sharedVectors() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/vectors/ovs-ofctl");
            if (Files.isRegularFile(c.resolve("index.tsv"))) {
                return c;
            }
        }
        return null;
    }

    @Test
    void goldenCopiesEqualSharedVectors() throws Exception {
        Path dir = sharedVectors();
        if (dir == null) {
            System.out.println("SKIPPED (shared/vectors/ovs-ofctl not found next to the repository): golden copies "
                    + "in src/test/resources/golden are used as they are");
        }
        Assumptions.assumeTrue(dir != null, "shared/vectors/ovs-ofctl not found");
        List<String> shared = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("index.tsv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String file = line.split("\t")[2];
            shared.add(Files.readString(dir.resolve(file), StandardCharsets.UTF_8).trim());
        }
        List<String> ours = new ArrayList<>();
        for (String v : new String[] {"of10", "of13", "of14", "of15"}) {
            for (Golden.Vector g : Golden.load("ovs-ofctl-" + v + ".txt")) {
                ours.add(Hex.encode(g.bytes()));
            }
        }
        assertEquals(shared, ours);
    }
}
