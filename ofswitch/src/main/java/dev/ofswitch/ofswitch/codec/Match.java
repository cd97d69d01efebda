package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.List;

/**
 * A decoded match: the list of (field, value, mask) entries in wire order, plus the bytes exactly as received so that
 * flow stats and FLOW_REMOVED can echo them (SWITCH-CONTRACT §3.3).
 *
 * <p>{@link Format#OXM} raw bytes are the whole {@code ofp_match} (type, length, TLVs, padding to 8);
 * {@link Format#NXM} raw bytes are the {@code match_len} TLV bytes without padding; {@link Format#OF10} raw bytes are
 * the 40-byte {@code ofp10_match}, whose entries are derived the way OVS's {@code ofputil_match_from_ofp10_match()}
 * and {@code ofputil_normalize_match()} read it (so they may say less than the wildcards claim).
 *
 * <p>Immutable.
 */
public final class Match {
    /** Which wire form the match came in. */
    public enum Format {
        /** OpenFlow 1.1+ {@code ofp_match} of type OFPMT_OXM (1). */
        OXM,
        /** Nicira {@code nx_match} (NXT_FLOW_MOD, NXST_FLOW, NXT_PACKET_IN2 metadata). */
        NXM,
        /** OpenFlow 1.0 {@code ofp_match} with wildcards. */
        OF10
    }

    /** The empty OXM match: {@code 0001 0004 00000000}. */
    public static final Match EMPTY_OXM = new Match(Format.OXM, List.of(), new byte[] {0, 1, 0, 4, 0, 0, 0, 0},
            null, null);

    private final Format format;
    private final List<MatchEntry> entries;
    private final byte[] raw;
    private final Long cookie;
    private final Long cookieMask;
    private final int version;

    Match(Format format, List<MatchEntry> entries, byte[] raw, Long cookie, Long cookieMask) {
        this(format, entries, raw, cookie, cookieMask, format == Format.OXM ? 0 : OfVersion.OF10);
    }

    Match(Format format, List<MatchEntry> entries, byte[] raw, Long cookie, Long cookieMask, int version) {
        this.format = format;
        this.entries = List.copyOf(entries);
        this.raw = raw;
        this.cookie = cookie;
        this.cookieMask = cookieMask;
        this.version = version;
    }

    /** A match built from entries (for encoders); its raw bytes are the OXM encoding. */
    public static Match ofOxm(List<MatchEntry> entries) {
        return new Match(Format.OXM, entries, MatchCodec.encodeOxmBytes(entries), null, null);
    }

    /** A match built from entries as an NXM TLV list. */
    public static Match ofNxm(List<MatchEntry> entries) {
        return new Match(Format.NXM, entries, MatchCodec.encodeTlvBytes(entries), null, null);
    }

    /**
     * The wire version of {@link #raw()}: OpenFlow 1.0 for NXM and OpenFlow 1.0 matches, the message's version for an
     * OXM match, 0 if unknown (an OXM match built by hand or decoded without a version).
     */
    public int version() {
        return version;
    }

    /** The wire form. */
    public Format format() {
        return format;
    }

    /** The entries, in wire order. */
    public List<MatchEntry> entries() {
        return entries;
    }

    /** A copy of the bytes as received (see the class comment for what they cover). */
    public byte[] raw() {
        return raw.clone();
    }

    /** Length of {@link #raw()}. */
    public int rawLength() {
        return raw.length;
    }

    /** The NXM_NX_COOKIE value of an NXM match, or null. */
    public Long cookie() {
        return cookie;
    }

    /** The NXM_NX_COOKIE mask of an NXM match, or null. */
    public Long cookieMask() {
        return cookieMask;
    }

    /** The entry for {@code f}, or null. */
    public MatchEntry get(MatchField f) {
        for (MatchEntry e : entries) {
            if (e.field() == f) {
                return e;
            }
        }
        return null;
    }

    /**
     * Compiles the match into {@link FlowKey} value and mask arrays (the classifier's form). Both arrays must be
     * zero-filled of length {@link FlowKey#WORDS}.
     */
    public void toKey(long[] values, long[] masks) {
        for (MatchEntry e : entries) {
            e.applyTo(values, masks);
        }
    }

    /** Whether the match has no entries (matches everything). */
    public boolean isCatchAll() {
        return entries.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Match && ((Match) o).format == format && ((Match) o).entries.equals(entries)
                && java.util.Arrays.equals(((Match) o).raw, raw);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return format + entries.toString();
    }
}
