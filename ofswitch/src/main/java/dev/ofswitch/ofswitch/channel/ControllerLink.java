package dev.ofswitch.ofswitch.channel;

import dev.ofswitch.conntrack.time.SwitchClock;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured controller ({@code tcp:} or {@code ssl:}) and the connection the switch keeps to it: OVS's
 * "reliable" rconn ({@code lib/rconn.c}).
 *
 * <h2>States</h2>
 * <pre>
 *   BACKOFF --(wait over)--> CONNECTING --(TCP up)--> HANDSHAKING --(TLS and HELLO done)--> CONNECTED
 *      ^                         |  refused               |  TLS refused, closed          |  closed by the peer,
 *      |                         |      ... or not done in max(5 s, wait) ...           |  an error, the probe
 *      +-------------------------+------------------------+-------------------------------+
 * </pre>
 * The first attempt is made at once. The waits between attempts follow rconn's {@code disconnect()}: a connection that
 * fails before it outlived the wait that preceded it doubles the wait, from 1 s up to {@code maxBackoff} (8 s by
 * default, as OVS's {@code max_backoff}): attempts at 0, 1, 3, 7, 15, 23, ... s against a dead address. A connection
 * that lived longer than the current wait resets it to 1 s. An attempt that does not finish (TCP connection, TLS
 * handshake and HELLO exchange) within max({@value #ATTEMPT_SECONDS} s, wait) is abandoned and does not reset the
 * wait. OVS allows an attempt max(1 s, wait): a JVM's first connection (class loading, JIT, TLS set-up) on a busy
 * machine, or a lab of a thousand switches saying HELLO at once, can take more than a second, and cutting those short
 * only makes them retry under the same load. The schedule against a controller that refuses is OVS's; against one
 * that never answers, attempts start 5 s apart at first instead of 1 s.
 *
 * <h2>Admission</h2> As rconn's {@code probably_admitted}: a controller is taken to have accepted the switch once it
 * sends a message a controller sends only to a switch it controls ({@link #isAdmissionMessage}: a flow-mod, a
 * barrier, most statistics requests, but not HELLO, ECHO, FEATURES, the config, async-config, group or table-feature
 * requests), or once the connection has lasted 30 s. Fail-open ({@code fail_mode=standalone}) looks at this.
 *
 * <h2>Time</h2> Every deadline is on the switch clock, so {@code time/stop} and {@code time/warp} govern reconnection
 * and probes as they do in OVS. {@link #run} evaluates them; the channel manager calls it every tick and after a warp.
 * The inactivity probe itself is the connection handler's (it serves passive connections too).
 *
 * <h2>Thread-safety</h2> Confined to {@link #loop}, on which its channels are registered too. What the control thread
 * reads for fail-open ({@link #isAdmitted}, {@link #lastAdmittedNanos}) is volatile.
 */
final class ControllerLink {
    private static final Logger log = LoggerFactory.getLogger(ControllerLink.class);
    private static final long SECOND = 1_000_000_000L;
    /** rconn: a connection this old counts as admitted whatever it received. */
    static final long ADMIT_AFTER_NANOS = 30 * SECOND;
    /** How long an attempt may take at least (see the class comment; OVS: 1 s). */
    static final int ATTEMPT_SECONDS = 5;
    /** Attempt times kept for {@link #status}. */
    private static final int ATTEMPT_LOG = 32;

    enum State {
        BACKOFF, CONNECTING, HANDSHAKING, CONNECTED, CLOSED
    }

    private final Target target;
    private final EventLoop loop;
    private final SwitchClock clock;
    private final long maxBackoffNanos;
    /** Opens a connection to {@link #target} on {@link #loop} with this link's pipeline. */
    private final Function<ControllerLink, ChannelFuture> connector;

    // Confined to the loop.
    private State state = State.BACKOFF;
    private long stateEnteredNanos;
    /** The current wait between attempts; 0 before the first failure. */
    private long backoffNanos;
    /** When the current attempt started plus the wait before it: a connection that fails later resets the wait. */
    private long backoffDeadlineNanos;
    /** rconn's {@code backoff_deadline = TIME_MAX}: the attempt timed out, so the wait must not be reset. */
    private boolean backoffResetBlocked;
    /** When the current attempt started (CONNECTING and HANDSHAKING are timed from there). */
    private long attemptStartNanos;
    private Channel channel;
    private ConnectionHandler handler;
    private String lastError;
    private boolean probablyAdmitted;
    private int attempts;
    private int successes;
    private final long[] attemptLog = new long[ATTEMPT_LOG];

    // Read by the control thread.
    private volatile boolean connected;
    private volatile boolean admitted;
    private volatile long lastConnectedNanos;
    /** When the controller last showed it controls the switch; the link's creation before that (as rconn). */
    private volatile long lastAdmittedNanos;

    ControllerLink(Target target, EventLoop loop, SwitchClock clock, long maxBackoffNanos,
                   Function<ControllerLink, ChannelFuture> connector) {
        this.target = target;
        this.loop = loop;
        this.clock = clock;
        this.maxBackoffNanos = Math.max(SECOND, maxBackoffNanos);
        this.connector = connector;
        this.lastAdmittedNanos = clock.nanoTime();
    }

    Target target() {
        return target;
    }

    EventLoop loop() {
        return loop;
    }

    /** Starts the first attempt. */
    void start() {
        loop.execute(() -> reconnect(clock.nanoTime()));
    }

    /** Loop: acts on every deadline that has passed at {@code now}. */
    void run(long now) {
        switch (state) {
            case BACKOFF:
                if (now - stateEnteredNanos >= backoffNanos) {
                    reconnect(now);
                }
                break;
            case CONNECTING:
            case HANDSHAKING:
                if (now - attemptStartNanos >= Math.max(ATTEMPT_SECONDS * SECOND, backoffNanos)) {
                    logAttempt("{}: connection timed out", target, null);
                    lastError = "connection timed out";
                    backoffResetBlocked = true;
                    Channel c = channel;
                    disconnect(now);
                    c.close();
                }
                break;
            case CONNECTED:
                handler.tick(now);
                break;
            default:
                break;
        }
    }

    private void reconnect(long now) {
        if (state == State.CLOSED) {
            return;
        }
        logAttempt("{}: connecting...", target, null);
        attemptLog[attempts % ATTEMPT_LOG] = now;
        attempts++;
        enter(State.CONNECTING, now);
        attemptStartNanos = now;
        lastError = null;
        backoffDeadlineNanos = now + backoffNanos;
        ChannelFuture f = connector.apply(this);
        Channel c = f.channel();
        channel = c;
        // Netty may close a channel whose connect failed before it fails the connect future, so the two outcomes
        // are told apart here, on the connect future.
        f.addListener(done -> {
            if (done.isSuccess()) {
                if (c == channel && state == State.CONNECTING) {
                    enter(State.HANDSHAKING, clock.nanoTime());
                }
                c.closeFuture().addListener(closedFuture -> closed(c));
            } else if (c == channel) {
                lastError = describe(done.cause());
                closed(c);
            }
        });
    }

    /** Loop: {@code h}'s connection finished its HELLO exchange. */
    void handshakeDone(ConnectionHandler h, Channel c) {
        if (c != channel || state != State.HANDSHAKING) {
            return;
        }
        long now = clock.nanoTime();
        handler = h;
        enter(State.CONNECTED, now);
        lastConnectedNanos = now;
        probablyAdmitted = false;
        connected = true;
        admitted = false;
        successes++;
        lastError = null;
        log.info("{}: connected", target);
    }

    /** Loop: the controller sent {@code msg} (after the handshake). */
    void received(RawMessage msg, long now) {
        if (state != State.CONNECTED) {
            return;
        }
        if (probablyAdmitted || isAdmissionMessage(msg) || now - lastConnectedNanos >= ADMIT_AFTER_NANOS) {
            probablyAdmitted = true;
            lastAdmittedNanos = now;
            admitted = true;
        }
    }

    /** Loop: the connection met an error (the handler reports it before the close that follows). */
    void failed(Channel c, Throwable cause) {
        if (c == channel) {
            lastError = describe(cause);
        }
    }

    private void closed(Channel c) {
        if (c != channel) {
            return;     // a connection already given up (timed out, or the link closed)
        }
        long now = clock.nanoTime();
        if (lastError == null) {
            lastError = "connection closed by peer";
        }
        if (state == State.CONNECTED) {
            log.info("{}: {}", target, lastError);
        } else {
            logAttempt("{}: connection failed ({})", target, lastError);
        }
        disconnect(now);
    }

    /** rconn's {@code disconnect()}: the next wait, then BACKOFF. */
    private void disconnect(long now) {
        channel = null;
        handler = null;
        connected = false;
        admitted = false;
        if (!backoffResetBlocked && now - backoffDeadlineNanos >= 0) {
            backoffNanos = SECOND;
        } else if (backoffNanos < maxBackoffNanos / 2) {
            backoffNanos = Math.max(SECOND, 2 * backoffNanos);
            log.info("{}: waiting {} seconds before reconnect", target, backoffNanos / (double) SECOND);
        } else {
            if (backoffNanos < maxBackoffNanos) {
                log.info("{}: continuing to retry connections in the background but suppressing further logging",
                        target);
            }
            backoffNanos = maxBackoffNanos;
        }
        backoffResetBlocked = false;
        enter(State.BACKOFF, now);
    }

    private void enter(State s, long now) {
        state = s;
        stateEnteredNanos = now;
    }

    /** rconn logs attempts only until the wait reaches its maximum. */
    private void logAttempt(String format, Object a, Object b) {
        if (backoffNanos < maxBackoffNanos) {
            log.info(format, a, b);
        } else {
            log.debug(format, a, b);
        }
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }

    /** Loop: stops for good. */
    void close() {
        state = State.CLOSED;
        connected = false;
        admitted = false;
        Channel c = channel;
        channel = null;
        if (c != null) {
            c.close();
        }
    }

    /** Whether the controller is connected (HELLO exchanged). Any thread. */
    boolean isConnected() {
        return connected;
    }

    /** Whether the controller is connected and took control (rconn {@code rconn_is_admitted()}). Any thread. */
    boolean isAdmitted() {
        return admitted;
    }

    /** See {@link #lastAdmittedNanos}. Any thread. */
    long lastAdmittedNanos() {
        return lastAdmittedNanos;
    }

    /** Loop: a snapshot for {@link ChannelManager#controllers()}. */
    ControllerStatus status() {
        List<Long> times = new ArrayList<>();
        for (int i = Math.max(0, attempts - ATTEMPT_LOG); i < attempts; i++) {
            times.add(attemptLog[i % ATTEMPT_LOG]);
        }
        return new ControllerStatus(target.toString(), state.name(), state == State.CONNECTED, admitted, attempts,
                successes, backoffNanos / 1_000_000L, lastError, List.copyOf(times));
    }

    /**
     * Whether {@code msg} is one a controller sends only once it has decided to control the switch (OVS
     * {@code is_admitted_msg()}): not HELLO, ERROR, ECHO, FEATURES, the switch config, queue config, async config,
     * nor the group, group-desc, group-features, table-features and table-desc statistics a controller uses to look a
     * switch over; an undecodable type does not count either.
     */
    static boolean isAdmissionMessage(RawMessage msg) {
        switch (MessageType.of(msg.version(), msg.type())) {
            case HELLO:
            case ERROR:
            case ECHO_REQUEST:
            case ECHO_REPLY:
            case FEATURES_REQUEST:
            case FEATURES_REPLY:
            case GET_CONFIG_REQUEST:
            case GET_CONFIG_REPLY:
            case SET_CONFIG:
            case QUEUE_GET_CONFIG_REQUEST:
            case QUEUE_GET_CONFIG_REPLY:
            case GET_ASYNC_REQUEST:
            case GET_ASYNC_REPLY:
            case UNKNOWN:
                return false;
            case MULTIPART_REQUEST:
            case MULTIPART_REPLY: {
                if (msg.version() == OfVersion.OF10 || msg.length() < 10) {
                    return msg.length() >= 10;
                }
                int kind = msg.buf().getUnsignedShort(msg.buf().readerIndex() + 8);
                // OFPMP_GROUP, OFPMP_GROUP_DESC, OFPMP_GROUP_FEATURES, OFPMP_TABLE_FEATURES, OFPMP_TABLE_DESC.
                return kind != 6 && kind != 7 && kind != 8 && kind != 12 && kind != 14;
            }
            default:
                return true;
        }
    }
}
