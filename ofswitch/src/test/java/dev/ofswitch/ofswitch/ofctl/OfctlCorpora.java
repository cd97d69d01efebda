package dev.ofswitch.ofswitch.ofctl;

import dev.ofswitch.ofswitch.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The flow corpora the parser is checked on: the oracle's example and case flow files (shared, may be absent), this
 * project's own oracle cases (ct-actions test resources), and {@link #RANDOM_COUNT} random flows from
 * {@link RandomFlows} with a fixed seed.
 */
final class OfctlCorpora {
    /** The seed of the random corpus recorded in the golden files. Changing it means regenerating them. */
    static final long SEED = 20260501L;
    /** Size of the random corpus. */
    static final int RANDOM_COUNT = 2000;

    private OfctlCorpora() {
    }

    /** The random corpus. */
    static List<String> random() {
        return new RandomFlows(SEED).flows(RANDOM_COUNT);
    }

    /**
     * Lines for the other flow-mod commands, derived from the random corpus: {@code modify} and
     * {@code modify_strict} (without importance, which only add takes, and sometimes with a cookie mask),
     * {@code delete} and {@code delete_strict} (the match, table, a cookie mask, out_port/out_group; strict deletes
     * keep the priority).
     */
    static List<String> commands() {
        List<String> out = new ArrayList<>();
        java.util.Random r = new java.util.Random(SEED);
        String[] verbs = {"modify", "modify_strict", "delete", "delete_strict"};
        for (String flow : random().subList(0, 1000)) {
            String verb = verbs[r.nextInt(verbs.length)];
            int at = flow.indexOf("actions=");
            String head = flow.substring(0, at);
            String actions = flow.substring(at);
            List<String> kept = new ArrayList<>();
            for (String tok : head.split(",")) {
                String key = tok.replaceAll("=.*", "");
                boolean delete = verb.startsWith("delete");
                if (key.isEmpty() || key.equals("importance") || (delete && (key.equals("idle_timeout")
                        || key.equals("hard_timeout") || key.equals("send_flow_rem") || key.equals("cookie")
                        || (key.equals("priority") && verb.equals("delete"))))) {
                    continue;
                }
                kept.add(tok);
            }
            if (r.nextInt(4) == 0) {
                kept.add("cookie=0x" + Long.toHexString(r.nextLong() >>> 40) + "/0x" + Long.toHexString(r.nextLong()
                        >>> 40));
            }
            if (verb.startsWith("delete")) {
                if (r.nextInt(4) == 0) {
                    kept.add("out_port=" + (1 + r.nextInt(100)));
                }
                if (r.nextInt(6) == 0) {
                    kept.add("out_group=" + r.nextInt(100));
                }
                out.add(verb + " " + String.join(",", kept));
            } else {
                kept.add(actions);
                out.add(verb + " " + String.join(",", kept));
            }
        }
        return out;
    }

    /** The shared oracle folder (the parent of the ovs-oracle tool; OVS_ORACLE overrides it). */
    static Path sharedOracle() {
        return Tools.ORACLE.toAbsolutePath().getParent();
    }

    /** The shared ovs-ofctl vectors folder ({@code shared/vectors/ovs-ofctl}). */
    static Path sharedVectors() {
        return sharedOracle().getParent().resolve("vectors/ovs-ofctl");
    }

    /** The flow files of the shared oracle's examples and cases (empty if not installed). */
    static List<Path> oracleFlowFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("examples", "cases")) {
            out.addAll(flowFiles(sharedOracle().resolve(sub)));
        }
        return out;
    }

    /** This project's oracle cases (ct-actions test resources; the tests run in the ofswitch module folder). */
    static List<Path> projectFlowFiles() throws IOException {
        return flowFiles(Path.of("../ct-actions/src/test/resources/oracle"));
    }

    private static List<Path> flowFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(d -> d.resolve("flows.txt")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The flow lines of an add-flows file: comments removed, blank lines skipped (as ovs-ofctl reads it). */
    static List<String> flowLines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int hash = line.indexOf('#');
            String text = hash >= 0 ? line.substring(0, hash) : line;
            if (!text.isBlank()) {
                out.add(text);
            }
        }
        return out;
    }
}
