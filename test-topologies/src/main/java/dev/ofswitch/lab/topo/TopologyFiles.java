package dev.ofswitch.lab.topo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Topology files: JSON (UTF-8) with {@code name}, {@code switches}, {@code hosts} and {@code links}, each entry as
 * the {@link Switch}, {@link Host} and {@link Link} records describe (see {@code topologies/README.md}):
 *
 * <pre>
 * {
 *   "name": "demo",
 *   "switches": [ { "name": "s1" } ],
 *   "hosts": [ { "name": "h1" }, { "name": "h2", "ip": "10.0.0.2/8" } ],
 *   "links": [ { "node1": "h1", "node2": "s1" }, { "node1": "h2", "node2": "s1", "delayMs": 5 } ]
 * }
 * </pre>
 *
 * <p>Reading is strict and all-or-nothing: the file must parse, have no unknown or duplicate field and no value of
 * the wrong type, and then pass {@link Topology#validate()}; otherwise one {@link TopologyException} says where,
 * e.g. {@code topologies/bad.json: host "h2": unknown field "macc" (fields of a host: name, ip, mac, gateway) at
 * line 9, column 15}. A file without {@code name} is named after itself ({@code demo.json} is {@code demo}).
 *
 * <p>Writing gives the same topology back when read: {@code load(save(t)) equals t} for a validated {@code t}.
 * Defaults are left out (secure fail mode, every OpenFlow version, links up, no delay or loss); the values
 * validation filled in (dpids, ports, IPs) are written out.
 */
public final class TopologyFiles {
    /** Jackson's {@code STRICT_DUPLICATE_DETECTION} message. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

    /** Where Jackson says an unclosed object or list began. */
    private static final Pattern START_MARKER =
            Pattern.compile("\\(start marker at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]\\)");

    private TopologyFiles() {
    }

    /**
     * Reads and validates a topology file.
     *
     * @throws TopologyException naming the file (as given), and where in it, for anything wrong, including a
     *                           missing or unreadable file
     */
    public static Topology load(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TopologyException(source + ": no such file", e);
        } catch (IOException e) {
            throw new TopologyException(source + ": cannot read it: " + e, e);
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TopologyException(source + ": not UTF-8 text", e);
        }
        return parse(json, source);
    }

    /**
     * Parses and validates topology JSON.
     *
     * @param source what to call the text in messages, such as its file name
     * @throws TopologyException as {@link #load(Path)}
     */
    public static Topology parse(String json, String source) {
        JsonNode tree;
        try {
            tree = JsonSupport.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed(source, e, json);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new TopologyException(source + ": empty; expected a JSON object with \"name\", \"switches\", "
                    + "\"hosts\" and \"links\"");
        }
        if (!tree.isObject()) {
            throw new TopologyException(source + ": expected a JSON object with \"name\", \"switches\", \"hosts\" "
                    + "and \"links\", got " + describe(tree));
        }
        Topology raw;
        try {
            raw = JsonSupport.MAPPER.readValue(json, Topology.class);
        } catch (JsonMappingException e) {
            throw new TopologyException(source + ": " + explain(e, tree, json), e);
        } catch (JsonProcessingException e) {
            throw malformed(source, e, json);
        }
        if (raw.name() == null) {
            raw = raw.withName(stem(source));
        }
        return Validator.validate(raw, source);
    }

    /** The JSON of a topology, indented, ending with a newline. */
    public static String toJson(Topology topo) {
        try {
            return JsonSupport.MAPPER.writeValueAsString(topo) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write topology " + topo.name() + " as JSON", e);
        }
    }

    /** Writes {@link #toJson(Topology)} to a file, replacing it. */
    public static void save(Topology topo, Path file) throws IOException {
        Files.writeString(file, toJson(topo), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- messages

    private static TopologyException malformed(String source, JsonProcessingException e, String json) {
        String message = firstLine(e.getOriginalMessage());
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.lookingAt()) {
            return new TopologyException(source + ": duplicate field \"" + duplicate.group(1) + "\""
                    + fieldAt(json, e.getLocation(), duplicate.group(1)), e);
        }
        if (message.startsWith("Trailing token")) {
            return new TopologyException(source + ": more JSON after the topology object" + at(e.getLocation()), e);
        }
        Matcher opened = START_MARKER.matcher(message);
        if (opened.find()) {
            message = message.substring(0, opened.start()) + "(opened at line " + opened.group(1) + ", column "
                    + opened.group(2) + ")" + message.substring(opened.end());
        }
        return new TopologyException(source + ": malformed JSON" + at(e.getLocation()) + ": " + message, e);
    }

    /** {@code CONTEXT: PROBLEM at line L, column C} for a mapping error, naming the node from the tree. */
    private static String explain(JsonMappingException e, JsonNode tree, String json) {
        List<JsonMappingException.Reference> path = e.getPath();
        String context = "topology";
        JsonNode node = tree;
        String field = null;
        boolean entry = false;
        for (int i = 0; i < path.size(); i++) {
            JsonMappingException.Reference ref = path.get(i);
            entry = false;
            if (ref.getFieldName() != null) {
                field = ref.getFieldName();
                node = node.path(field);
            } else if (ref.getIndex() >= 0) {
                node = node.path(ref.getIndex());
                if (i == 1) {
                    context = itemContext(field, ref.getIndex(), node);
                    field = null;
                } else {
                    entry = true;
                }
            }
        }
        String subject = field == null ? "it" : entry ? "each entry of \"" + field + "\"" : "\"" + field + "\"";
        String problem;
        String where = field == null ? at(e.getLocation()) : fieldAt(json, e.getLocation(), field);
        if (e instanceof UnrecognizedPropertyException u) {
            problem = "unknown field \"" + u.getPropertyName() + "\" (fields of " + owner(u.getReferringClass())
                    + ": " + fieldsOf(u.getReferringClass()) + ")";
            where = fieldAt(json, e.getLocation(), u.getPropertyName());
        } else if (e instanceof InvalidNullException) {
            problem = field == null ? "null where an object {...} belongs" : "\"" + field + "\" holds a null";
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            problem = subject + " must be " + expected(m.getTargetType()) + ", got " + describe(node);
        } else {
            problem = firstLine(e.getOriginalMessage());
        }
        return context + ": " + problem + where;
    }

    /** {@code switch "s1"} / {@code host #2} / {@code link 3 (s1:2 - h9:0)} from the raw JSON. */
    private static String itemContext(String list, int index, JsonNode item) {
        switch (list) {
            case "switches":
            case "hosts": {
                String kind = list.equals("switches") ? "switch" : "host";
                JsonNode name = item.path("name");
                return name.isTextual() && !name.asText().isEmpty() ? kind + " \"" + name.asText() + "\""
                        : kind + " #" + (index + 1);
            }
            case "links":
                return "link " + (index + 1) + " (" + Link.end(text(item.path("node1")), text(item.path("port1")))
                        + " - " + Link.end(text(item.path("node2")), text(item.path("port2"))) + ")";
            default:
                return "\"" + list + "\" entry " + (index + 1);
        }
    }

    private static String text(JsonNode n) {
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    private static String owner(Class<?> type) {
        if (type == Topology.class) {
            return "a topology";
        }
        return type == null ? "this object" : "a " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static String fieldsOf(Class<?> type) {
        JsonPropertyOrder order = type == null ? null : type.getAnnotation(JsonPropertyOrder.class);
        return order == null ? "?" : String.join(", ", order.value());
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == FailMode.class) {
            return "\"secure\" or \"standalone\"";
        }
        if (type == OpenFlowVersion.class) {
            return "one of " + Arrays.stream(OpenFlowVersion.values()).map(v -> "\"" + v.ovsName() + "\"")
                    .collect(Collectors.joining(", "));
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list [...]";
        }
        if (type == Switch.class || type == Host.class || type == Link.class || type == Topology.class) {
            return owner(type) + " object {...}";
        }
        return "a " + type.getSimpleName();
    }

    /** What a JSON value is, for "expected X, got Y". */
    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "something else";
        }
        if (n.isObject()) {
            return "an object {...}";
        }
        if (n.isArray()) {
            return "a list [...]";
        }
        if (n.isTextual()) {
            return "the string " + n.toString();
        }
        if (n.isNull()) {
            return "null";
        }
        if (n.isBoolean()) {
            return n.asText();
        }
        return "the number " + n.asText();
    }

    /**
     * {@code at line L, column C} of the name of {@code field}: the last {@code "field"} before where Jackson
     * stopped. Jackson reports where it stopped (after a value, or after a whole object for an unknown field),
     * while people look for the field.
     */
    private static String fieldAt(String json, JsonLocation loc, String field) {
        long stop = loc == null ? -1 : loc.getCharOffset();
        // As JSON writes it: a name with a newline is "a\nb" in the file.
        String quoted = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(field)) + "\"";
        int found = stop < 0 ? -1 : json.lastIndexOf(quoted, (int) Math.min(stop, json.length()));
        if (found < 0) {
            return at(loc);
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < found; i++) {
            if (json.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return " at line " + line + ", column " + (found - lineStart + 1);
    }

    private static String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** {@code demo} for {@code topologies/demo.json}. */
    private static String stem(String source) {
        String base = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        return base.endsWith(".json") ? base.substring(0, base.length() - 5) : base;
    }
}
