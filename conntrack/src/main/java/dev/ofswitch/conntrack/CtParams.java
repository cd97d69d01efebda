package dev.ofswitch.conntrack;

/**
 * What one {@code ct()} action asks of the tracker, apart from the zone (which may come from a register and so is
 * per packet): {@code commit}, {@code force}, the masked {@code ct_mark} and 128-bit {@code ct_label} writes of
 * {@code exec(...)}, and the ALG helper. Built once when a flow is installed, then shared by every packet.
 * Immutable.
 */
public final class CtParams {
    /** A plain {@code ct()}: look up, do not commit. */
    public static final CtParams LOOKUP = builder().build();
    /** {@code ct(commit)}. */
    public static final CtParams COMMIT = builder().commit(true).build();

    final boolean commit;
    final boolean force;
    final boolean setMark;
    final int markValue;
    final int markMask;
    final boolean setLabel;
    final long labelValueHi;
    final long labelValueLo;
    final long labelMaskHi;
    final long labelMaskLo;
    final String helper;
    /** The nat(...) of the action, or null. */
    final NatRequest nat;

    private CtParams(Builder b) {
        this.commit = b.commit;
        this.force = b.force;
        this.setMark = b.setMark;
        this.markValue = b.markValue & b.markMask;
        this.markMask = b.markMask;
        this.setLabel = b.setLabel;
        this.labelValueHi = b.labelValueHi & b.labelMaskHi;
        this.labelValueLo = b.labelValueLo & b.labelMaskLo;
        this.labelMaskHi = b.labelMaskHi;
        this.labelMaskLo = b.labelMaskLo;
        this.helper = b.helper;
        this.nat = b.nat;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean commit() {
        return commit;
    }

    public boolean force() {
        return force;
    }

    public boolean setsMark() {
        return setMark;
    }

    public int markValue() {
        return markValue;
    }

    public int markMask() {
        return markMask;
    }

    public boolean setsLabel() {
        return setLabel;
    }

    public long labelValueHi() {
        return labelValueHi;
    }

    public long labelValueLo() {
        return labelValueLo;
    }

    public long labelMaskHi() {
        return labelMaskHi;
    }

    public long labelMaskLo() {
        return labelMaskLo;
    }

    /** The ALG helper ({@code ftp} or {@code tftp}), or null. */
    public String helper() {
        return helper;
    }

    /** The action's nat(...), or null. */
    public NatRequest nat() {
        return nat;
    }

    /** Builds {@link CtParams}. Not thread-safe. */
    public static final class Builder {
        private boolean commit;
        private boolean force;
        private boolean setMark;
        private int markValue;
        private int markMask;
        private boolean setLabel;
        private long labelValueHi;
        private long labelValueLo;
        private long labelMaskHi;
        private long labelMaskLo;
        private String helper;
        private NatRequest nat;

        private Builder() {
        }

        /**
         * Translate addresses/ports: a new translation at commit, and on every later packet the connection's
         * translation in the packet's direction.
         */
        public Builder nat(NatRequest nat) {
            this.nat = nat;
            return this;
        }

        /** Create a connection if none exists ({@code ct(commit)}). */
        public Builder commit(boolean commit) {
            this.commit = commit;
            return this;
        }

        /**
         * Delete a connection this packet matches in the reply direction and commit a new one in the packet's
         * direction ({@code ct(force,commit)}).
         */
        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        /** Write {@code (mark & ~mask) | (value & mask)} into ct_mark. Masks accumulate across calls. */
        public Builder mark(int value, int mask) {
            this.setMark = true;
            this.markValue = (this.markValue & ~mask) | (value & mask);
            this.markMask |= mask;
            return this;
        }

        /** Write the masked 128-bit label (high and low 64 bits). Masks accumulate across calls. */
        public Builder label(long valueHi, long valueLo, long maskHi, long maskLo) {
            this.setLabel = true;
            this.labelValueHi = (this.labelValueHi & ~maskHi) | (valueHi & maskHi);
            this.labelValueLo = (this.labelValueLo & ~maskLo) | (valueLo & maskLo);
            this.labelMaskHi |= maskHi;
            this.labelMaskLo |= maskLo;
            return this;
        }

        /** Record ALG helper {@code name} ({@code ftp}, {@code tftp}) on connections committed by this action. */
        public Builder helper(String name) {
            this.helper = name;
            return this;
        }

        public CtParams build() {
            return new CtParams(this);
        }
    }
}
