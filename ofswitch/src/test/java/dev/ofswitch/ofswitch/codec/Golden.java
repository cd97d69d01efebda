package dev.ofswitch.ofswitch.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads golden files in the layout of OVS's tests/ofp-actions.at: "# meaning" then one line of hex. */
public final class Golden {
    /** One vector. */
    public record Vector(String file, String meaning, byte[] bytes) {
        /** The meaning's first word (the vector's name). */
        public String name() {
            int sp = meaning.indexOf(' ');
            return sp < 0 ? meaning : meaning.substring(0, sp);
        }

        @Override
        public String toString() {
            return file + ": " + meaning;
        }
    }

    private Golden() {
    }

    /** The vectors of {@code src/test/resources/golden/<resource>}, in file order. */
    public static List<Vector> load(String resource) throws IOException {
        List<Vector> out = new ArrayList<>();
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource golden/" + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String meaning = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# ")) {
                    meaning = line.substring(2);
                } else if (!line.isBlank() && meaning != null) {
                    out.add(new Vector(resource, meaning, Hex.decode(line.trim())));
                    meaning = null;
                }
            }
        }
        return out;
    }
}
