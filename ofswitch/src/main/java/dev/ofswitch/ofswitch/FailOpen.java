package dev.ofswitch.ofswitch;

import dev.ofswitch.ofswitch.channel.ChannelManager;
import dev.ofswitch.ofswitch.codec.FlowMod;
import dev.ofswitch.ofswitch.codec.FlowModCodec;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.table.FlowEntry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the switch does without a controller, by fail mode (OVS {@code ofproto/fail-open.c} and
 * {@code connmgr_flushed()}; each point below was checked against ovs-vswitchd 3.1).
 *
 * <h2>secure</h2> Nothing changes when controllers go away: the flows stay and keep forwarding, a table miss is
 * dropped, no flow is added.
 *
 * <h2>standalone, no controller configured</h2> The switch starts with one visible flow, {@code priority=0
 * actions=NORMAL} in table 0: a MAC-learning switch that {@code ovs-ofctl dump-flows} shows and may delete.
 *
 * <h2>standalone with controllers: fail-open</h2>
 * <ul>
 * <li>Trigger: no controller has been admitted ({@link dev.ofswitch.ofswitch.channel.ControllerStatus#admitted}) for
 * 3 probe intervals (15 s by default: the time to send a probe, wait for its answer, and reconnect once), counted
 * from the switch's start or the last admitted moment. With probing off, 3 times OVS's default interval (5 s); OVS
 * would fail open at once and flush the controller's flows again and again.
 * <li>Entering: every flow and group is deleted (FLOW_REMOVED, reason DELETE, to whoever asked for it), and a hidden
 * flow, priority {@value #FAIL_OPEN_PRIORITY} ({@code 0xf0f0f0}, above any OpenFlow priority) with
 * {@code actions=NORMAL}, is added to table 0. OpenFlow cannot see it: not in dump-flows, not counted in
 * dump-tables, not deleted by del-flows.
 * <li>While a controller is connected but has not taken control, a bogus packet-in (a RARP from a random Nicira MAC,
 * in_port LOCAL, reason no_match, cookie all-ones) goes to it every 2 s, to prompt it.
 * <li>Recovering: as soon as a controller is admitted the hidden flow is removed. The flows deleted on entry do not
 * come back; the controller installs its own.
 * </ul>
 *
 * <h2>Thread-safety</h2> Control thread only.
 */
final class FailOpen {
    private static final Logger log = LoggerFactory.getLogger(FailOpen.class);
    /** OVS's {@code FAIL_OPEN_PRIORITY}. */
    static final int FAIL_OPEN_PRIORITY = 0xf0f0f0;
    private static final long SECOND = 1_000_000_000L;
    /** OVS's default inactivity probe interval, used for the trigger when probing is off. */
    static final long DEFAULT_PROBE_NANOS = 5 * SECOND;
    static final long BOGUS_PACKET_IN_INTERVAL_NANOS = 2 * SECOND;
    /** {@code OFPR_NO_MATCH}. */
    private static final int NO_MATCH = 0;

    private final OfSwitch sw;
    private final ControlAgent agent;
    private boolean active;
    /** When the next bogus packet-in is due, valid while {@link #bogusScheduled}. */
    private long nextBogusNanos;
    private boolean bogusScheduled;
    private int entered;

    FailOpen(OfSwitch sw, ControlAgent agent) {
        this.sw = sw;
        this.agent = agent;
    }

    /** Whether fail-open is active (the hidden NORMAL flow is installed). */
    boolean isActive() {
        return active;
    }

    /** How many times fail-open was entered. */
    int timesEntered() {
        return entered;
    }

    /** At start: the {@code priority=0 actions=NORMAL} flow of a standalone switch without controllers. */
    void installStandaloneFlow(long nowNanos) {
        if (sw.config().failMode == SwitchConfig.FailMode.STANDALONE && sw.config().controllers.isEmpty()) {
            addNormalFlow(0, nowNanos);
        }
    }

    /** Enters or leaves fail-open as the controllers' state at {@code nowNanos} says; sends bogus packet-ins. */
    void run(ChannelManager channels, long nowNanos) {
        if (sw.config().failMode != SwitchConfig.FailMode.STANDALONE || !channels.hasControllers()) {
            return;
        }
        maybeRecover(channels);
        long probe = channels.probeIntervalNanos() > 0 ? channels.probeIntervalNanos() : DEFAULT_PROBE_NANOS;
        long failure = channels.failureDurationNanos(nowNanos);
        if (!active && failure >= 3 * probe) {
            log.warn("Could not connect to controller (or switch failed controller's post-connection admission "
                    + "control policy) for {} seconds, failing open", failure / SECOND);
            enter(nowNanos);
        }
        if (active) {
            if (channels.anyControllerConnected()) {
                boolean expired = bogusScheduled && nowNanos - nextBogusNanos >= 0;
                if (expired) {
                    agent.sendPacketIn(rarpProbe(), FlowKeyOfLocal.KEY, NO_MATCH, 0, -1L);
                }
                if (expired || !bogusScheduled) {
                    nextBogusNanos = nowNanos + BOGUS_PACKET_IN_INTERVAL_NANOS;
                    bogusScheduled = true;
                }
            } else {
                bogusScheduled = false;
            }
        }
    }

    /** Leaves fail-open if a controller has been admitted (called after each controller request, too). */
    void maybeRecover(ChannelManager channels) {
        if (active && channels.anyControllerAdmitted()) {
            log.warn("No longer in fail-open mode");
            active = false;
            bogusScheduled = false;
            for (FlowEntry e : sw.flowTables().allIncludingHidden()) {
                if (e.priority() == FAIL_OPEN_PRIORITY && e.tableId() == 0 && e.match().entries().isEmpty()) {
                    sw.flowTables().remove(e);
                }
            }
        }
    }

    private void enter(long nowNanos) {
        agent.flushAll(nowNanos);
        addNormalFlow(FAIL_OPEN_PRIORITY, nowNanos);
        active = true;
        entered++;
    }

    /** Adds {@code priority=P actions=NORMAL} to table 0 (through the codec, as a controller's flow would be). */
    private void addNormalFlow(int priority, long nowNanos) {
        ByteBuf b = Unpooled.buffer(80);
        // OF1.3 FLOW_MOD: header, cookie, cookie_mask, table 0, ADD, no timeouts, priority 0, no buffer, any port and
        // group, no flags; an empty OXM match; APPLY_ACTIONS with OUTPUT:NORMAL (max_len 0, as OVS's own flow).
        b.writeByte(4).writeByte(14).writeShort(80).writeInt(0);
        b.writeLong(0).writeLong(0).writeByte(0).writeByte(FlowMod.OFPFC_ADD).writeShort(0).writeShort(0)
                .writeShort(0).writeInt(-1).writeInt(-1).writeInt(-1).writeShort(0).writeShort(0);
        b.writeShort(1).writeShort(4).writeInt(0);
        b.writeShort(4).writeShort(24).writeInt(0);
        b.writeShort(0).writeShort(16).writeInt(0xfffffffa).writeShort(0).writeZero(6);
        try {
            FlowMod fm = FlowModCodec.decode(b, false, dev.ofswitch.ofswitch.codec.CtActionDecoder.INSTANCE);
            sw.flowTables().apply(fm.withPriority(priority), nowNanos);
        } catch (OpenFlowException e) {
            throw new IllegalStateException("the NORMAL flow does not compile: " + e.getMessage(), e);
        } finally {
            b.release();
        }
    }

    /**
     * OVS {@code compose_rarp()} from {@code eth_addr_nicira_random()}: a 42-byte RARP request (op 3) to the
     * broadcast address from 00:23:20:xx:xx:xx, the Nicira OUI with random low bytes.
     */
    static byte[] rarpProbe() {
        byte[] mac = {0x00, 0x23, 0x20, 0, 0, 0};
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 3; i < 6; i++) {
            mac[i] = (byte) r.nextInt(256);
        }
        ByteBuf b = Unpooled.buffer(42);
        b.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1}).writeBytes(mac).writeShort(0x8035);
        b.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(3);    // htype, ptype, hlen, plen, op
        b.writeBytes(mac).writeInt(0).writeBytes(mac).writeInt(0);                      // sha, spa, tha, tpa
        byte[] out = new byte[42];
        b.readBytes(out);
        return out;
    }

    /** The flow key of a packet received on LOCAL with nothing else known (what a bogus packet-in reports). */
    private static final class FlowKeyOfLocal {
        static final long[] KEY = FlowKey.newKey();

        static {
            FlowKey.set(KEY, MatchField.IN_PORT, 0xfffe);
        }
    }
}
