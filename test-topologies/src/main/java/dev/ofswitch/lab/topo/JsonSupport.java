package dev.ofswitch.lab.topo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Locale;

/**
 * Jackson plumbing for the topology records: the strict mapper {@link TopologyFiles} uses, the dpid's hex-string
 * form, and the filters that leave default values out of saved files.
 */
final class JsonSupport {
    private JsonSupport() {
    }

    /**
     * The mapper for topology files. Strict, so that a typo is an error rather than a silently different topology:
     * unknown fields, duplicate fields, trailing content, {@code null} as a list entry, a number where text belongs
     * (or the reverse) and {@code 1.5} for a port are all rejected. A field set to {@code null} counts as left out.
     * Output puts each switch, host and link on a line of its own (see {@link LineIndenter}).
     */
    static final JsonMapper MAPPER = newMapper();

    private static JsonMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .defaultPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withRootSeparator("\n"))
                        .withObjectIndenter(new LineIndenter(1))
                        .withArrayIndenter(new LineIndenter(2)))
                .build();
        // No coercion between scalars: "port1": "2", "name": 5 and "up": "yes" are errors, not guesses.
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.Textual, LogicalType.Enum}) {
            mapper.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        // ... except the natural ones: an integer for a floating-point field, a string for a string or an enum.
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        return mapper;
    }

    /**
     * Indentation that starts a new line only near the top, so that a saved file reads like a hand-written one:
     *
     * <pre>
     * {
     *   "name": "single,2",
     *   "switches": [
     *     { "name": "s1", "dpid": "0000000000000001" }
     *   ],
     * </pre>
     *
     * Jackson asks for indentation at a nesting level: the root object's fields are at level 1, the elements of its
     * lists at 2, their fields at 3. Objects break lines up to level 1, lists up to level 2; deeper, a space.
     */
    static final class LineIndenter implements DefaultPrettyPrinter.Indenter {
        private final int deepestLineBreak;

        LineIndenter(int deepestLineBreak) {
            this.deepestLineBreak = deepestLineBreak;
        }

        @Override
        public void writeIndentation(JsonGenerator g, int level) throws IOException {
            if (level <= deepestLineBreak) {
                g.writeRaw('\n');
                for (int i = 0; i < level; i++) {
                    g.writeRaw("  ");
                }
            } else {
                g.writeRaw(' ');
            }
        }

        @Override
        public boolean isInline() {
            return false;
        }
    }

    /** Formats a dpid as OVS and Mininet show it: 16 lower-case hex digits. */
    static String dpidHex(long dpid) {
        String hex = Long.toHexString(dpid);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /**
     * Parses a dpid as Mininet's {@code Switch.defaultDpid()} accepts one: up to 16 hex digits, colons ignored
     * ({@code "1"}, {@code "000000000000000a"}, {@code "00:00:00:00:00:00:00:0a"}).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static long parseDpid(String text) {
        String hex = text.replace(":", "");
        if (hex.isEmpty() || hex.length() > 16 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("bad dpid \"" + text + "\": expected 1 to 16 hex digits (colons "
                    + "allowed), e.g. \"000000000000000a\"");
        }
        return Long.parseUnsignedLong(hex.toLowerCase(Locale.ROOT), 16);
    }

    /** Writes a {@code Long} dpid as its 16-hex-digit string. */
    static final class DpidWriter extends JsonSerializer<Long> {
        @Override
        public void serialize(Long dpid, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(dpidHex(dpid));
        }
    }

    /**
     * Reads a dpid string. A JSON number is refused: is {@code 10} ten or sixteen? Mininet and OVS write dpids in
     * hex, so the file must too.
     */
    static final class DpidReader extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw JsonMappingException.from(p, "\"dpid\" must be a string of hex digits such as "
                        + "\"000000000000000a\" (a JSON number would leave open whether 10 is decimal or hex), got "
                        + p.getText());
            }
            try {
                return parseDpid(p.getText());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
    }

    /** Leaves {@code "up": true} out of saved files: links are up unless they say otherwise. */
    static final class UpFilter {
        @Override
        public boolean equals(Object value) {
            return Boolean.TRUE.equals(value);
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    /** Leaves {@code "failMode": "secure"} out of saved files. */
    static final class SecureFilter {
        @Override
        public boolean equals(Object value) {
            return value == FailMode.SECURE;
        }

        @Override
        public int hashCode() {
            return 2;
        }
    }

    /** Leaves {@code "protocols"} out of saved files when it lists every version (the default). */
    static final class AllVersionsFilter {
        @Override
        public boolean equals(Object value) {
            return OpenFlowVersion.ALL.equals(value);
        }

        @Override
        public int hashCode() {
            return 3;
        }
    }
}
