package dev.ofswitch.ofswitch.unixctl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ovs-appctl-compatible control server: JSON-RPC 1.0 over a unix stream socket (OVS {@code lib/unixctl.c}).
 *
 * <p>A request is one JSON object, {@code {"id": 7, "method": "time/warp", "params": ["30000"]}}; requests follow each
 * other on a connection with optional whitespace between them (ovs-appctl sends none, other clients a newline) and
 * may arrive in pieces. The reply echoes the id: {@code {"id": 7, "result": "warped\n", "error": null}}, or
 * {@code {"id": 8, "result": null, "error": "no such dummy netdev\n"}}. Argument-count and unknown-command errors read
 * exactly like OVS's.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * UnixctlServer s = new UnixctlServer(dir.resolve("ovs-vswitchd.ctl"));
 * s.register("version", "", 0, 0, args -> "ofswitch 0.1\n");
 * s.start();
 * }</pre>
 *
 * <h2>Security</h2> The socket is reachable from this host only, and by its owner only: it appears at its path
 * with mode 0700 already set, with no window in which another user could connect
 * ({@link dev.ofswitch.ofswitch.channel.UnixSockets}; OVS gives its sockets 0770). A stale socket file at the path is
 * replaced.
 *
 * <h2>Thread-safety</h2> {@link #register} may be called at any time; commands run on the connection's thread, so
 * handlers must be thread-safe.
 */
public final class UnixctlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UnixctlServer.class);
    /** Longest request accepted; a peer sending more is disconnected. */
    static final int MAX_REQUEST_BYTES = 1 << 20;

    private record Command(String usage, int minArgs, int maxArgs, UnixctlHandler handler) {
    }

    private final Path path;
    private final Map<String, Command> commands = new ConcurrentHashMap<>();
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String version;
    /** Commands that failed with an unexpected exception (our bug), answered "internal error". */
    private final LongAdder internalErrors = new LongAdder();
    private volatile ServerSocketChannel server;
    private volatile boolean closed;
    private Thread acceptor;

    public UnixctlServer(Path path) {
        this(path, "ofswitch 0.1.0");
    }

    /** @param version the text {@code version} answers, without the trailing newline */
    public UnixctlServer(Path path, String version) {
        this.path = path;
        this.version = version;
        register("list-commands", "", 0, 0, args -> listCommands());
        register("help", "", 0, 0, args -> listCommands());
        register("version", "", 0, 0, args -> this.version + "\n");
    }

    /** The socket path. */
    public Path path() {
        return path;
    }

    /** How many commands failed with an unexpected exception (each logged as an ERROR with its stack trace). */
    public long internalErrors() {
        return internalErrors.sum();
    }

    /**
     * Adds a command. {@code usage} is what {@code list-commands} prints after the name (OVS style,
     * {@code "[zone=N]"}).
     */
    public void register(String name, String usage, int minArgs, int maxArgs, UnixctlHandler handler) {
        commands.put(name, new Command(usage, minArgs, maxArgs, handler));
    }

    /** Binds the socket and starts accepting. */
    public synchronized void start() throws IOException {
        server = dev.ofswitch.ofswitch.channel.UnixSockets.bindPrivately(path, tmp -> {
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.bind(UnixDomainSocketAddress.of(tmp));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch;
        });
        acceptor = new Thread(this::acceptLoop, "unixctl");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.error("unixctl {}: accept failed, control socket closed: {}", path, e.toString());
                }
                return;
            }
            clients.add(client);
            Thread t = new Thread(() -> serve(client), "unixctl-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel client) {
        JsonFactory factory = mapper.getFactory();
        try (client; InputStream in = Channels.newInputStream(client);
             OutputStream out = Channels.newOutputStream(client)) {
            LimitedInputStream limited = new LimitedInputStream(in);
            limited.allow(MAX_REQUEST_BYTES);
            JsonParser parser = factory.createParser(limited);
            while (!closed) {
                limited.allow(MAX_REQUEST_BYTES);
                JsonToken t = parser.nextToken();
                if (t == null) {
                    return;     // peer closed
                }
                JsonNode request = mapper.readTree(parser);
                byte[] reply = mapper.writeValueAsBytes(process(request));
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            // A malformed stream or a peer that went away: OVS closes the connection too.
            log.debug("unixctl {}: connection closed: {}", path, e.toString());
        } finally {
            clients.remove(client);
        }
    }

    /**
     * Runs a command in-process through the same request handling a socket client gets (argument checks included),
     * for tests and tools that hold the switch: {@code call("time/warp", "1000")}.
     *
     * @return the command's result text
     * @throws UnixctlException with the error text a client would have received
     */
    public String call(String method, String... args) throws UnixctlException {
        ObjectNode request = mapper.createObjectNode();
        request.put("id", 0);
        request.put("method", method);
        var params = request.putArray("params");
        for (String a : args) {
            params.add(a);
        }
        ObjectNode reply = process(request);
        if (!reply.get("error").isNull()) {
            throw new UnixctlException(reply.get("error").asText());
        }
        return reply.get("result").asText();
    }

    /** Handles one request object and builds its reply (OVS {@code process_command()}). */
    ObjectNode process(JsonNode request) {
        ObjectNode reply = mapper.createObjectNode();
        JsonNode id = request == null ? null : request.get("id");
        reply.set("id", id == null ? mapper.nullNode() : id);
        if (request == null || !request.isObject() || !request.path("method").isTextual()) {
            return error(reply, "invalid JSON-RPC request: a \"method\" string is required");
        }
        String method = request.get("method").asText();
        JsonNode params = request.get("params");
        List<String> args = new ArrayList<>();
        boolean nonString = false;
        if (params != null && params.isArray()) {
            for (JsonNode p : params) {
                if (!p.isTextual()) {
                    nonString = true;
                }
                args.add(p.asText());
            }
        } else if (params != null && !params.isNull()) {
            return error(reply, "\"params\" must be an array");
        }
        Command cmd = commands.get(method);
        if (cmd == null) {
            return error(reply, "\"" + method + "\" is not a valid command (use \"list-commands\" to see a list of "
                    + "valid commands)");
        }
        if (args.size() < cmd.minArgs) {
            return error(reply, "\"" + method + "\" command requires at least " + cmd.minArgs + " arguments");
        }
        if (args.size() > cmd.maxArgs) {
            return error(reply, "\"" + method + "\" command takes at most " + cmd.maxArgs + " arguments");
        }
        if (nonString) {
            return error(reply, "\"" + method + "\" command has non-string argument");
        }
        try {
            String result = cmd.handler.handle(List.copyOf(args));
            reply.put("result", result == null ? "" : result);
            reply.set("error", mapper.nullNode());
        } catch (UnixctlException e) {
            return error(reply, e.getMessage());
        } catch (RuntimeException e) {
            internalErrors.increment();
            log.error("unixctl {}: command {} {} failed", path, method, args, e);
            return error(reply, method + ": internal error: " + e);
        }
        return reply;
    }

    /** An error reply; like OVS's, the text ends with a newline. */
    private ObjectNode error(ObjectNode reply, String message) {
        reply.set("result", mapper.nullNode());
        reply.put("error", message.endsWith("\n") ? message : message + "\n");
        return reply;
    }

    private String listCommands() {
        StringBuilder sb = new StringBuilder("The available commands are:\n");
        Map<String, Command> sorted = new TreeMap<>(commands);
        sorted.forEach((name, c) -> {
            sb.append("  ").append(name);
            if (!c.usage.isEmpty()) {
                sb.append(' ').append(c.usage);
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            log.debug("closing unixctl {}: {}", path, e.toString());
        }
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("removing {}: {}", path, e.toString());
        }
    }

    /** Stops a peer that sends an endless request: each request may read at most a budget of bytes. */
    private static final class LimitedInputStream extends InputStream {
        private final InputStream in;
        private long limit;
        private long total;

        LimitedInputStream(InputStream in) {
            this.in = in;
        }

        /** Allows {@code bytes} more from here (the parser reads a little ahead, which this budget absorbs). */
        void allow(long bytes) {
            limit = total + bytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++total > limit) {
                throw new IOException("unixctl request too long");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                total += n;
                if (total > limit) {
                    throw new IOException("unixctl request over " + MAX_REQUEST_BYTES + " bytes");
                }
            }
            return n;
        }
    }
}
