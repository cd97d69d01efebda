package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * One NXM/OXM TLV: a field, its value and, if the header has hasmask set, its mask, together with the header exactly
 * as it was on the wire.
 *
 * <pre>
 *  0                16        23 24       32                    (experimenter OXMs only)
 * +-----------------+----------+--+--------+--------------------+---------------+--------------+
 * |   oxm_class     | oxm_field|HM| length | experimenter (4)   |  value (n)    |  mask (n)    |
 * +-----------------+----------+--+--------+--------------------+---------------+--------------+
 *   length counts experimenter + value + mask; n = field width in bytes; HM = hasmask.
 * </pre>
 *
 * Value and mask are the field's {@link MatchField#nBytes()} big-endian bytes; {@code mask} is null for an exact
 * match. Instances are immutable (arrays are copied in and out).
 */
public final class MatchEntry {
    private final MatchField field;
    private final long header;
    private final byte[] value;
    private final byte[] mask;

    /**
     * @param field  the field
     * @param header the header: {@code header32 << 32}, or for experimenter OXMs {@code header32 << 32 | experimenter}
     * @param value  {@code field.nBytes()} bytes
     * @param mask   {@code field.nBytes()} bytes, or null if exact
     */
    public MatchEntry(MatchField field, long header, byte[] value, byte[] mask) {
        if (value.length != field.nBytes() || (mask != null && mask.length != field.nBytes())) {
            throw new IllegalArgumentException("value/mask width for " + field);
        }
        this.field = field;
        this.header = header;
        this.value = value.clone();
        this.mask = mask == null ? null : mask.clone();
    }

    /** An entry with the header an OVS encoder would pick for {@code version}. */
    public static MatchEntry of(MatchField field, int version, long value, Long mask) {
        long h = field.preferredHeader(version);
        byte[] v = toBytes(value, field.nBytes());
        byte[] m = null;
        if (mask != null) {
            m = toBytes(mask, field.nBytes());
            int h32 = MatchField.maskedHeader((int) (h >>> 32));
            h = ((long) h32 << 32) | (h & 0xffffffffL);
            if ((h & 0xffffffffL) != 0) {
                // Experimenter OXM: the length also counts the 4 experimenter bytes.
                h = (h & ~0xff00000000L) | ((long) (4 + 2 * field.nBytes()) << 32);
            }
        }
        return new MatchEntry(field, h, v, m);
    }

    static byte[] toBytes(long v, int n) {
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** The field. */
    public MatchField field() {
        return field;
    }

    /** The 32-bit header as received (class, field, hasmask, length). */
    public int header32() {
        return (int) (header >>> 32);
    }

    /** The experimenter id of an experimenter OXM (class 0xffff), else 0. */
    public int experimenter() {
        return (int) header;
    }

    /** Whether the header had hasmask set. */
    public boolean isMasked() {
        return mask != null;
    }

    /** A copy of the value bytes. */
    public byte[] valueBytes() {
        return value.clone();
    }

    /** A copy of the mask bytes, or null if exact. */
    public byte[] maskBytes() {
        return mask == null ? null : mask.clone();
    }

    /** The value of a ≤ 64-bit field. */
    public long value() {
        return FlowKey.readValue(value, 0, Math.min(8, value.length));
    }

    /** The mask of a ≤ 64-bit field (all ones of the field's width if exact). */
    public long mask() {
        return mask == null ? FlowKey.allOnes(field) : FlowKey.readValue(mask, 0, Math.min(8, mask.length));
    }

    /** Bytes on the wire: header (4, or 8 for experimenter OXMs), value, mask. */
    public int wireLength() {
        return (experimenter() != 0 || (header32() >>> 16) == 0xffff ? 8 : 4) + value.length * (mask == null ? 1 : 2);
    }

    /** Writes the TLV as received. */
    public void encode(ByteBuf out) {
        out.writeInt(header32());
        if ((header32() >>> 16) == 0xffff) {
            out.writeInt(experimenter());
        }
        out.writeBytes(value);
        if (mask != null) {
            out.writeBytes(mask);
        }
    }

    /** Applies this entry to a match held as {@link FlowKey} value/mask arrays. */
    public void applyTo(long[] values, long[] masks) {
        FlowKey.setMaskedBytes(values, masks, field, value, mask, 0);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MatchEntry)) {
            return false;
        }
        MatchEntry e = (MatchEntry) o;
        return field == e.field && header == e.header && Arrays.equals(value, e.value) && Arrays.equals(mask, e.mask);
    }

    @Override
    public int hashCode() {
        return field.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(field.ovsName()).append("=0x").append(Hex.encode(value));
        if (mask != null) {
            sb.append("/0x").append(Hex.encode(mask));
        }
        return sb.toString();
    }
}
