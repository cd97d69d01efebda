package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.channel.OfConnection;
import dev.ofswitch.ofswitch.channel.RawMessage;
import dev.ofswitch.ofswitch.codec.AsyncMessages;
import dev.ofswitch.ofswitch.codec.BundleCodec;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.ErrorMessages;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowModCodec;
import dev.ofswitch.ofswitch.codec.GroupMod;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.codec.PacketOut;
import dev.ofswitch.ofswitch.codec.PortModCheck;
import dev.ofswitch.ofswitch.port.Port;
import dev.ofswitch.ofswitch.table.FlowEntry;
import dev.ofswitch.ofswitch.table.FlowTables;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortMod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenFlow bundles, as OVS 3.1 has them ({@code ofproto/bundles.c}; {@code handle_bundle_control()},
 * {@code handle_bundle_add()} and {@code do_bundle_commit()} in {@code ofproto/ofproto.c}): a connection opens
 * bundles by id, adds FLOW_MOD, GROUP_MOD, PORT_MOD and PACKET_OUT messages to them, and commits or discards each as
 * a whole. The wire format is {@link BundleCodec}'s (OpenFlow 1.4+ messages, ONF experimenter messages in 1.3).
 *
 * <h2>What OVS does, and so this</h2>
 * <ul>
 * <li>Every bundle message from a slave: OFPBRC_IS_SLAVE. Control replies carry the request's xid and bundle id, the
 * reply type and no flags. A reply type sent as a request: OFPBFC_BAD_TYPE. A type above DISCARD_REPLY gets a reply
 * of type 0 and does nothing (OVS 3.1 leaves the reply's type unset there; its stack held 0 on every try).
 * <li>OPEN of an id in use: OFPBFC_BAD_ID, and the bundle in use is discarded. CLOSE, COMMIT, DISCARD of an unknown
 * id: OFPBFC_BAD_ID. CLOSE of a closed bundle: OFPBFC_BUNDLE_CLOSED; CLOSE or COMMIT with other flags than the
 * bundle's: OFPBFC_BAD_FLAGS; both discard the bundle. A COMMIT discards the bundle whatever its outcome. An open
 * bundle may be committed without a CLOSE. Unknown flag bits are kept and compared, not refused.
 * <li>ADD_MESSAGE: first the outer message and the inner one are checked and decoded (the OFPBFC_* errors of
 * {@link BundleCodec}, then the inner message's own decoding errors, and for a flow-mod a buffer id), all answered
 * against the ADD_MESSAGE; then the bundle: an unknown id opens one with the message's flags, a closed bundle gives
 * OFPBFC_BUNDLE_CLOSED and a flag mismatch OFPBFC_BAD_FLAGS, each discarding the bundle.
 * <li>A bundle unused (no open, add or close) for {@value #IDLE_TIMEOUT_SECONDS} s is discarded with an
 * OFPBFC_TIMEOUT error against the message that opened it (OVS checks once a second; this switch at every control
 * tick, 500 ms). Bundles die with their connection.
 * <li>COMMIT: the messages are applied in order, each seeing those before it; groups and meters a flow refers to are
 * checked then (so a flow may use a group added earlier in the bundle). If message k fails, the switch sends its
 * error against message k's ADD_MESSAGE (that message's xid and bytes), undoes messages 1..k-1, and answers the
 * COMMIT with OFPBFC_MSG_FAILED; the tables are as before, and lookups never saw a thing. If all succeed, the changes
 * are published together ({@link FlowTables.Transaction}), then port mods are applied, FLOW_REMOVED messages sent and
 * packet-outs run, in bundle order, and the COMMIT_REPLY follows.
 * <li>A PORT_MOD in an OFPBF_ATOMIC bundle fails the commit with OFPBFC_MSG_FAILED (OVS: "our port mods are not
 * atomic"); in other bundles it is checked at commit and applied after the publication.
 * </ul>
 *
 * <h2>Deliberate differences</h2>
 * <ul>
 * <li>OVS has no limits; this switch refuses a connection's {@value #MAX_BUNDLES}th open bundle with
 * OFPBFC_OUT_OF_BUNDLES and a bundle's {@value #MAX_MESSAGES}th message with OFPBFC_MSG_TOO_MANY (the bundle stays),
 * so that a peer cannot fill the heap. OFPBFC_MSG_CONFLICT and OFPBFC_BUNDLE_IN_PROGRESS are never sent, as by OVS.
 * <li>OVS publishes the flow and group changes between two port mods of a non-atomic bundle as one version each, in
 * turn; this switch publishes all of them at once and applies the port mods after.
 * <li>A {@code check_overlap} ADD in a bundle sees every flow the bundle added before it. OVS 3.1 misses such a flow
 * when it was the first of its mask (its classifier publishes new subtables only after the commit), so there the ADD
 * passes; seen with ovs-vswitchd: {@code priority=10,ip} then {@code priority=10,check_overlap} in one bundle.
 * <li>Groups and flows are published by two volatile writes, groups first: a packet that starts in between sees the
 * bundle's groups with the old flows. That is harmless for added groups; a bundle that modifies or deletes a group
 * that old flows use can show those flows the new group for that instant.
 * </ul>
 *
 * <h2>Thread-safety</h2> Control thread only, like the rest of {@link ControlAgent}; the state lives on each
 * {@link OfConnection} ({@link OfConnection#bundles()}).
 */
final class Bundles {
    private static final Logger log = LoggerFactory.getLogger(Bundles.class);

    /** OVS's {@code BUNDLE_IDLE_TIMEOUT_DEFAULT}: 10 s. */
    static final int IDLE_TIMEOUT_SECONDS = 10;
    static final long IDLE_TIMEOUT_NANOS = IDLE_TIMEOUT_SECONDS * 1_000_000_000L;
    /** Open bundles per connection (OVS: no limit). */
    static final int MAX_BUNDLES = 4096;
    /** Messages per bundle (OVS: no limit); a flow-mod costs a few hundred bytes of heap here. */
    static final int MAX_MESSAGES = 1 << 20;

    private final OfSwitch sw;
    private final ControlAgent agent;

    Bundles(OfSwitch sw, ControlAgent agent) {
        this.sw = sw;
        this.agent = agent;
    }

    /** One bundle (OVS {@code struct ofp_bundle}). */
    private static final class Bundle {
        final int id;
        final int flags;
        /** The message that opened it (an OPEN_REQUEST or the first ADD_MESSAGE): the timeout error answers it. */
        final byte[] opener;
        final List<Entry> entries = new ArrayList<>();
        boolean closed;
        long usedNanos;

        Bundle(int id, int flags, byte[] opener, long nowNanos) {
            this.id = id;
            this.flags = flags;
            this.opener = opener;
            this.usedNanos = nowNanos;
        }
    }

    /**
     * One bundled message: the whole ADD_MESSAGE it came in (errors at commit answer it, as OVS's
     * {@code ofp_bundle_entry.msg}) and the decoded inner message: a {@link FlowMod}, {@link GroupMod},
     * {@link OFPortMod} or {@link PacketOut}.
     */
    private record Entry(byte[] addMessage, Object message) {
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, Bundle> of(OfConnection conn) {
        Object b = conn.bundles();
        if (b == null) {
            b = new HashMap<Integer, Bundle>();
            conn.setBundles(b);
        }
        return (Map<Integer, Bundle>) b;
    }

    private static byte[] bytes(RawMessage msg) {
        return msg.head(msg.length());
    }

    // ------------------------------------------------------------------------------------------ control

    /** BUNDLE_CONTROL (OFPT 33, or ONF 2300 in OpenFlow 1.3). */
    void control(OfConnection conn, RawMessage msg) throws OpenFlowException {
        ControlAgent.checkMaster(conn);
        BundleCodec.Control c = BundleCodec.decodeControl(msg.buf());
        Map<Integer, Bundle> bundles = of(conn);
        long now = sw.clock().nanoTime();
        int reply;
        switch (c.type()) {
            case BundleCodec.OFPBCT_OPEN_REQUEST: {
                if (bundles.remove(c.bundleId()) != null) {
                    log.info("{}: bundle {} already exists", conn, Integer.toHexString(c.bundleId()));
                    throw new OpenFlowException(ErrorCode.OFPBFC_BAD_ID, "bundle " + c.bundleId() + " exists");
                }
                checkRoom(bundles);
                bundles.put(c.bundleId(), new Bundle(c.bundleId(), c.flags(), bytes(msg), now));
                reply = BundleCodec.OFPBCT_OPEN_REPLY;
                break;
            }
            case BundleCodec.OFPBCT_CLOSE_REQUEST: {
                Bundle b = existing(bundles, c.bundleId());
                if (b.closed) {
                    bundles.remove(b.id);
                    throw new OpenFlowException(ErrorCode.OFPBFC_BUNDLE_CLOSED, "bundle " + b.id + " is closed");
                }
                checkFlags(bundles, b, c.flags());
                b.closed = true;
                b.usedNanos = now;
                reply = BundleCodec.OFPBCT_CLOSE_REPLY;
                break;
            }
            case BundleCodec.OFPBCT_COMMIT_REQUEST: {
                Bundle b = existing(bundles, c.bundleId());
                bundles.remove(b.id);   // whatever the outcome
                checkFlags(bundles, b, c.flags());
                commit(conn, b);
                reply = BundleCodec.OFPBCT_COMMIT_REPLY;
                break;
            }
            case BundleCodec.OFPBCT_DISCARD_REQUEST:
                bundles.remove(existing(bundles, c.bundleId()).id);
                reply = BundleCodec.OFPBCT_DISCARD_REPLY;
                break;
            case BundleCodec.OFPBCT_OPEN_REPLY:
            case BundleCodec.OFPBCT_CLOSE_REPLY:
            case BundleCodec.OFPBCT_COMMIT_REPLY:
            case BundleCodec.OFPBCT_DISCARD_REPLY:
                throw new OpenFlowException(ErrorCode.OFPBFC_BAD_TYPE, "bundle control type " + c.type()
                        + " is a reply");
            default:
                // OVS 3.1's switch has no case for it and sends its reply with the type never set (0 here).
                reply = 0;
                break;
        }
        conn.send(BundleCodec.encodeControlReply(msg.version(), msg.xid(), c.bundleId(), reply));
    }

    private static Bundle existing(Map<Integer, Bundle> bundles, int id) throws OpenFlowException {
        Bundle b = bundles.get(id);
        if (b == null) {
            throw new OpenFlowException(ErrorCode.OFPBFC_BAD_ID, "no bundle " + id);
        }
        return b;
    }

    /** OFPBFC_BAD_FLAGS, discarding the bundle, if {@code flags} are not the bundle's. */
    private static void checkFlags(Map<Integer, Bundle> bundles, Bundle b, int flags) throws OpenFlowException {
        if (flags != b.flags) {
            bundles.remove(b.id);
            throw new OpenFlowException(ErrorCode.OFPBFC_BAD_FLAGS, "flags " + flags + " of bundle " + b.id + " are "
                    + b.flags);
        }
    }

    private static void checkRoom(Map<Integer, Bundle> bundles) throws OpenFlowException {
        if (bundles.size() >= MAX_BUNDLES) {
            throw new OpenFlowException(ErrorCode.OFPBFC_OUT_OF_BUNDLES, MAX_BUNDLES + " bundles open");
        }
    }

    // ------------------------------------------------------------------------------------------ add

    /** BUNDLE_ADD_MESSAGE (OFPT 34, or ONF 2301 in OpenFlow 1.3). */
    void add(OfConnection conn, RawMessage msg) throws OpenFlowException {
        ControlAgent.checkMaster(conn);
        BundleCodec.Add a = BundleCodec.decodeAdd(msg.buf());
        byte[] copy = bytes(msg);
        ByteBuf inner = Unpooled.wrappedBuffer(copy).slice(a.innerIndex() - msg.buf().readerIndex(),
                a.innerLength());
        Object decoded = decode(conn, a.innerType(), inner);

        Map<Integer, Bundle> bundles = of(conn);
        long now = sw.clock().nanoTime();
        Bundle b = bundles.get(a.bundleId());
        if (b == null) {
            checkRoom(bundles);
            b = new Bundle(a.bundleId(), a.flags(), copy, now);
            bundles.put(b.id, b);
        } else if (b.closed) {
            bundles.remove(b.id);
            throw new OpenFlowException(ErrorCode.OFPBFC_BUNDLE_CLOSED, "bundle " + b.id + " is closed");
        } else {
            checkFlags(bundles, b, a.flags());
        }
        if (b.entries.size() >= MAX_MESSAGES) {
            throw new OpenFlowException(ErrorCode.OFPBFC_MSG_TOO_MANY, "bundle " + b.id + " holds " + MAX_MESSAGES
                    + " messages");
        }
        b.usedNanos = now;
        b.entries.add(new Entry(copy, decoded));
    }

    /** Decodes the inner message as the same message outside a bundle is decoded (the checks OVS makes on add). */
    private Object decode(OfConnection conn, int type, ByteBuf inner) throws OpenFlowException {
        switch (type) {
            case BundleCodec.OFPT_FLOW_MOD: {
                FlowMod fm = FlowModCodec.decode(inner, conn.flowModTableId(), agent.ctActions);
                FlowTables.checkWritable(fm);
                ControlAgent.checkBuffer(fm);
                return fm;
            }
            case BundleCodec.OFPT_GROUP_MOD:
                return GroupMod.decode(inner, agent.ctActions);
            case BundleCodec.OFPT_PORT_MOD: {
                PortModCheck.check(inner);
                OFMessage m = ControlAgent.parse(inner);
                if (!(m instanceof OFPortMod pm)) {
                    throw new OpenFlowException(ErrorCode.OFPBFC_MSG_UNSUP, "not a port mod: " + m.getType());
                }
                return pm;
            }
            case BundleCodec.OFPT_PACKET_OUT:
                return PacketOut.decode(inner, agent.ctActions);
            default:
                throw new OpenFlowException(ErrorCode.OFPBFC_MSG_UNSUP, "type " + type);   // decodeAdd let it through
        }
    }

    // ------------------------------------------------------------------------------------------ commit

    /**
     * Applies {@code b}'s messages all or none (see the class comment).
     *
     * @throws OpenFlowException OFPBFC_MSG_FAILED after sending the failing message's own error
     */
    private void commit(OfConnection conn, Bundle b) throws OpenFlowException {
        boolean atomic = (b.flags & BundleCodec.OFPBF_ATOMIC) != 0;
        FlowTables.Transaction tx = sw.flowTables().begin();
        sw.groups().begin();
        boolean published = false;
        List<Runnable> finish = new ArrayList<>();
        long now = sw.clock().nanoTime();
        try {
            for (Entry e : b.entries) {
                try {
                    start(conn, e.message(), atomic, now, finish);
                } catch (OpenFlowException x) {
                    fail(conn, b, e, x.code());
                } catch (ControlAgent.RequestError x) {
                    fail(conn, b, e, x.code);
                }
            }
            sw.groups().commit();
            tx.commit();
            published = true;
        } finally {
            if (!published) {
                tx.abort();
                sw.groups().abort();
            }
        }
        for (Runnable r : finish) {
            r.run();
        }
    }

    /** Sends {@code code} against entry {@code e}'s ADD_MESSAGE and fails the commit (the caller undoes). */
    private static void fail(OfConnection conn, Bundle b, Entry e, ErrorCode code) throws OpenFlowException {
        conn.send(ErrorMessages.encode(ByteBufAllocator.DEFAULT, code, Unpooled.wrappedBuffer(e.addMessage())));
        throw new OpenFlowException(ErrorCode.OFPBFC_MSG_FAILED, "bundle " + b.id + ": a message failed with "
                + code);
    }

    /**
     * Applies one message inside the open transactions (OVS's {@code *_start()}); what must wait for the publication
     * goes to {@code finish} (OVS's {@code *_finish()}).
     */
    private void start(OfConnection conn, Object m, boolean atomic, long now, List<Runnable> finish)
            throws OpenFlowException {
        if (m instanceof FlowMod fm) {
            agent.checkReferences(fm);
            for (FlowEntry gone : sw.flowTables().apply(fm, now).removed()) {
                finish.add(() -> agent.flowRemoved(gone, AsyncMessages.FlowRemoved.OFPRR_DELETE, now));
            }
        } else if (m instanceof GroupMod gm) {
            for (FlowEntry gone : agent.applyGroupMod(gm)) {
                finish.add(() -> agent.flowRemoved(gone, AsyncMessages.FlowRemoved.OFPRR_GROUP_DELETE, now));
            }
        } else if (m instanceof OFPortMod pm) {
            if (atomic) {
                throw new OpenFlowException(ErrorCode.OFPBFC_MSG_FAILED, "port mods are not atomic");
            }
            Port p = agent.portOf(pm);
            finish.add(() -> agent.applyPortMod(p, pm));
        } else if (m instanceof PacketOut po) {
            finish.add(agent.preparePacketOut(conn, po));
        } else {
            throw new IllegalStateException("not a bundlable message: " + m);
        }
    }

    // ------------------------------------------------------------------------------------------ lifetime

    /** Discards, with OFPBFC_TIMEOUT, every bundle idle for {@link #IDLE_TIMEOUT_NANOS} at {@code nowNanos}. */
    void expire(long nowNanos) {
        for (OfConnection conn : agent.connections()) {
            Object state = conn.bundles();
            if (state == null) {
                continue;
            }
            Iterator<Bundle> it = of(conn).values().iterator();
            while (it.hasNext()) {
                Bundle b = it.next();
                if (nowNanos - b.usedNanos >= IDLE_TIMEOUT_NANOS) {
                    it.remove();
                    conn.send(ErrorMessages.encode(ByteBufAllocator.DEFAULT, ErrorCode.OFPBFC_TIMEOUT,
                            Unpooled.wrappedBuffer(b.opener)));
                }
            }
        }
    }

    /** Drops every bundle of a closed connection (OVS {@code bundle_remove_all()}). */
    void discardAll(OfConnection conn) {
        conn.setBundles(null);
    }
}
