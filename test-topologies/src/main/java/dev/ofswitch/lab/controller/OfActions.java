package dev.ofswitch.lab.controller;

import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.codec.MatchEntry;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * OpenFlow 1.3 action lists built as wire bytes: what the lab's controller apps send. Each method appends one action
 * in the encoding ovs-ofctl uses for the same text, so a flow installed by the lab dumps like one added with
 * {@code ovs-ofctl -O OpenFlow13 add-flow}.
 *
 * <pre>{@code
 * byte[] a = OfActions.of().ct(Ct.commit().zoneFrom(MatchField.REG6).mark(1)).normal().bytes();
 * //         ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1->ct_mark)),NORMAL
 * }</pre>
 *
 * Not thread-safe; build, take {@link #bytes()}, discard.
 */
public final class OfActions {
    /** OFPP_NORMAL, OFPP_FLOOD, OFPP_CONTROLLER as OpenFlow 1.3 32-bit ports. */
    public static final int NORMAL = 0xfffffffa;
    public static final int FLOOD = 0xfffffffb;
    public static final int CONTROLLER = 0xfffffffd;
    /** OFPCML_NO_BUFFER: send the whole packet to the controller. */
    private static final int NO_BUFFER = 0xffff;
    private static final int NX_VENDOR_ID = 0x00002320;
    private static final int NXAST_CT = 35;

    private final ByteBuf buf = Unpooled.buffer(64);

    private OfActions() {
    }

    public static OfActions of() {
        return new OfActions();
    }

    /** {@code output:PORT} (OFPAT_OUTPUT). */
    public OfActions output(int port) {
        buf.writeShort(0).writeShort(16).writeInt(port).writeShort(port == CONTROLLER ? NO_BUFFER : 0).writeZero(6);
        return this;
    }

    /** {@code NORMAL}: the switch's L2 learning. */
    public OfActions normal() {
        return output(NORMAL);
    }

    /** {@code CONTROLLER:65535}. */
    public OfActions controller() {
        return output(CONTROLLER);
    }

    /** {@code set_field:VALUE->FIELD} (OFPAT_SET_FIELD with the field's OXM or NXM header, padded to 8). */
    public OfActions setField(MatchField field, long value) {
        int start = buf.writerIndex();
        buf.writeShort(25).writeShort(0);
        MatchEntry.of(field, OfVersion.OF13, value, null).encode(buf);
        int len = (buf.writerIndex() - start + 7) & ~7;
        buf.writeZero(start + len - buf.writerIndex());
        buf.setShort(start + 2, len);
        return this;
    }

    /** {@code ct(...)} (NXAST_CT, 24 bytes, then the nested actions of {@code exec(...)}). */
    public OfActions ct(Ct ct) {
        int start = buf.writerIndex();
        buf.writeShort(0xffff).writeShort(0).writeInt(NX_VENDOR_ID).writeShort(NXAST_CT).writeShort(ct.flags);
        if (ct.zoneField == null) {
            buf.writeInt(0).writeShort(ct.zone);
        } else {
            ByteBuf h = Unpooled.buffer(16);
            MatchEntry.of(ct.zoneField, OfVersion.OF13, 0, null).encode(h);
            buf.writeInt(h.getInt(0));                       // the field's NXM header, as ovs-ofctl writes it
            h.release();
            buf.writeShort(15);                               // ofs 0, 16 bits: (ofs << 6) | (n_bits - 1)
        }
        buf.writeByte(ct.table).writeZero(3).writeShort(0);
        if (ct.mark != null) {
            int at = buf.writerIndex();
            buf.writeShort(25).writeShort(0);
            MatchEntry.of(MatchField.CT_MARK, OfVersion.OF13, ct.mark, null).encode(buf);
            int len = (buf.writerIndex() - at + 7) & ~7;
            buf.writeZero(at + len - buf.writerIndex());
            buf.setShort(at + 2, len);
        }
        buf.setShort(start + 2, buf.writerIndex() - start);
        return this;
    }

    public byte[] bytes() {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    /** The arguments of a {@code ct()} action. Immutable builder: each method returns a new one. */
    public static final class Ct {
        final int flags;
        final int zone;
        final MatchField zoneField;
        final int table;
        final Long mark;

        private Ct(int flags, int zone, MatchField zoneField, int table, Long mark) {
            this.flags = flags;
            this.zone = zone;
            this.zoneField = zoneField;
            this.table = table;
            this.mark = mark;
        }

        /** {@code ct()}: look up, no commit, no recirculation. */
        public static Ct lookup() {
            return new Ct(0, 0, null, 0xff, null);
        }

        /** {@code ct(commit)}. */
        public static Ct commit() {
            return new Ct(1, 0, null, 0xff, null);
        }

        /** {@code zone=N}. */
        public Ct zone(int z) {
            return new Ct(flags, z, null, table, mark);
        }

        /** {@code zone=FIELD[0..15]} (a register). */
        public Ct zoneFrom(MatchField f) {
            return new Ct(flags, 0, f, table, mark);
        }

        /** {@code table=N}: continue in table N with the new state. */
        public Ct table(int t) {
            return new Ct(flags, zone, zoneField, t, mark);
        }

        /** {@code exec(set_field:VALUE->ct_mark)}; needs commit. */
        public Ct mark(long value) {
            return new Ct(flags, zone, zoneField, table, value);
        }
    }
}
