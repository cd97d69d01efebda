package dev.ofswitch.ofswitch.codec;

import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.Arrays;
import java.util.List;

/**
 * A decoded OpenFlow or Nicira action: typed, immutable, and complete enough to be re-encoded byte for byte by
 * {@link ActionCodec} and compiled into the pipeline's action program.
 *
 * <p>Ports are OVS's 16-bit {@code ofp_port_t} numbers in every version ({@code OFPP_CONTROLLER} = 0xfffd); the codec
 * converts OpenFlow 1.1+ 32-bit numbers as OVS's {@code ofputil_port_from_ofp11()}. Byte arrays are copied in and
 * out. Each record's javadoc names its wire struct and OVS raw action type.
 */
public sealed interface Action {
    /** OVS {@code OFPP_IN_PORT}. */
    int OFPP_IN_PORT = 0xfff8;
    /** OVS {@code OFPP_TABLE}. */
    int OFPP_TABLE = 0xfff9;
    /** OVS {@code OFPP_NORMAL}. */
    int OFPP_NORMAL = 0xfffa;
    /** OVS {@code OFPP_FLOOD}. */
    int OFPP_FLOOD = 0xfffb;
    /** OVS {@code OFPP_ALL}. */
    int OFPP_ALL = 0xfffc;
    /** OVS {@code OFPP_CONTROLLER}. */
    int OFPP_CONTROLLER = 0xfffd;
    /** OVS {@code OFPP_LOCAL}. */
    int OFPP_LOCAL = 0xfffe;
    /** OVS {@code OFPP_NONE} (OpenFlow 1.1+ {@code OFPP_ANY}). */
    int OFPP_NONE = 0xffff;
    /** OVS {@code OFPP_MAX}: the first reserved port number. */
    int OFPP_MAX = 0xff00;

    /** {@code OFPAT_OUTPUT} (OF1.0 {@code ofp10_action_output}, OF1.1+ {@code ofp11_action_output}). */
    record Output(int port, int maxLen) implements Action { }

    /** {@code OFPAT_GROUP} (OF1.1+ type 22). */
    record Group(long groupId) implements Action { }

    /** {@code OFPAT_SET_QUEUE} (OF1.1+ type 21; NXAST_SET_QUEUE-compatible OF1.0 NX subtype 4 is not decoded). */
    record SetQueue(long queueId) implements Action { }

    /** OpenFlow 1.0 {@code OFPAT10_ENQUEUE} (type 11): output to a queue of a port. */
    record Enqueue(int port, long queueId) implements Action { }

    /**
     * {@code OFPAT_SET_FIELD} (OF1.2+ type 25): {@code entry} is the OXM exactly as carried (masked only in 1.5).
     */
    record SetField(MatchEntry entry) implements Action { }

    /**
     * {@code NXAST_REG_LOAD} (NX subtype 7, OF1.0-1.4): load {@code value} into bits {@code [ofs, ofs+nBits)} of
     * {@code dst}. {@code dstHeader} is the 32-bit NXM/OXM header as received.
     */
    record RegLoad(MatchField dst, int ofs, int nBits, long value, int dstHeader) implements Action { }

    /** {@code NXAST_REG_LOAD2} (NX subtype 33, OF1.0-1.4): a (possibly masked) OXM to write, like set_field. */
    record RegLoad2(MatchEntry entry) implements Action { }

    /**
     * A bit-range copy: {@code NXAST_REG_MOVE} (NX subtype 6, OF1.0-1.4) or {@code OFPAT_COPY_FIELD} (OF1.5 type 28).
     * Headers are the 64-bit forms as received ({@code header32 << 32 | experimenter}).
     */
    record Move(MatchField src, int srcOfs, MatchField dst, int dstOfs, int nBits, long srcHeader, long dstHeader,
                boolean copyField) implements Action { }

    /**
     * {@code NXAST_STACK_PUSH} (NX subtype 27): pushes {@code field[ofs..ofs+nBits-1]} on the packet's action stack.
     * {@code header} is the field's header as received (64-bit form, as in {@link Move}).
     */
    record StackPush(MatchField field, int ofs, int nBits, long header) implements Action { }

    /** {@code NXAST_STACK_POP} (NX subtype 28): pops the top of the action stack into {@code field[ofs..]}. */
    record StackPop(MatchField field, int ofs, int nBits, long header) implements Action { }

    /** {@code OFPAT_PUSH_VLAN} (OF1.1+ type 17) with ethertype 0x8100 or 0x88a8. */
    record PushVlan(int ethertype) implements Action { }

    /** {@code OFPAT_POP_VLAN} (OF1.1+ 18) or OpenFlow 1.0 {@code OFPAT10_STRIP_VLAN} (3). */
    record PopVlan() implements Action { }

    /** {@code OFPAT_PUSH_MPLS} (OF1.1+ 19, NX 23). */
    record PushMpls(int ethertype) implements Action { }

    /** {@code OFPAT_POP_MPLS} (OF1.1+ 20, NX 24): {@code ethertype} is the payload's. */
    record PopMpls(int ethertype) implements Action { }

    /**
     * {@code OFPAT_DEC_NW_TTL} (OF1.1+ 24) or OpenFlow 1.0 {@code NXAST_DEC_TTL} (NX 18): on expiry a packet-in to
     * controller id 0. With {@code cntIds}, {@code NXAST_DEC_TTL_CNT_IDS} (NX 21, every version), OVS's
     * {@code dec_ttl(ID,...)}: a packet-in to each listed controller id ({@code controllerIds}, possibly none).
     *
     * <pre>
     * nx_action_cnt_ids: ffff | len | 00002320 | 0015 | n_controllers(2) | zeros(4) | ids (2 each) | pad to 8
     * </pre>
     */
    record DecTtl(List<Integer> controllerIds, boolean cntIds) implements Action {
        /** Copies the ids. */
        public DecTtl {
            controllerIds = List.copyOf(controllerIds);
        }

        /** Plain {@code dec_ttl}: controller id 0. */
        public DecTtl() {
            this(List.of(0), false);
        }

        /** Whether OVS writes it as NXAST_DEC_TTL_CNT_IDS ({@code encode_DEC_TTL()}): asked for, or ids other than 0. */
        public boolean needsCntIds() {
            return cntIds || !controllerIds.equals(List.of(0));
        }
    }

    /** {@code OFPAT_SET_NW_TTL} (OF1.1+ 23). */
    record SetNwTtl(int ttl) implements Action { }

    /** {@code OFPAT_SET_MPLS_TTL} (OF1.1+ 15, NX 25). */
    record SetMplsTtl(int ttl) implements Action { }

    /** {@code OFPAT_DEC_MPLS_TTL} (OF1.1+ 16, NX 26). */
    record DecMplsTtl() implements Action { }

    /**
     * The pre-set_field header rewrites of OpenFlow 1.0 (and deprecated in 1.1+): {@code OFPAT_SET_VLAN_VID},
     * {@code SET_VLAN_PCP}, {@code SET_DL_SRC/DST}, {@code SET_NW_SRC/DST}, {@code SET_NW_TOS}, {@code SET_NW_ECN},
     * {@code SET_TP_SRC/DST}, {@code SET_MPLS_LABEL/TC}. {@code field} says what is written and {@code value} is its
     * wire value (the DSCP-in-TOS byte for {@link MatchField#NW_TOS}); {@code wireType} is the action type as received.
     */
    record SetLegacy(MatchField field, long value, int wireType) implements Action { }

    /**
     * {@code NXAST_RESUBMIT} (1), {@code NXAST_RESUBMIT_TABLE} (14) or {@code NXAST_RESUBMIT_TABLE_CT} (44):
     * {@code inPort} {@link #OFPP_IN_PORT} means the current one, {@code table} 255 the current one.
     */
    record Resubmit(int inPort, int table, boolean withCtOrig, int subtype) implements Action { }

    /** {@code NXAST_NOTE} (8): opaque bytes, padded with zeros to 8. */
    record Note(byte[] data) implements Action {
        /** Copies {@code data}. */
        public Note {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Note && Arrays.equals(((Note) o).data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }
    }

    /** {@code NXAST_SET_TUNNEL} (2, 32-bit) or {@code NXAST_SET_TUNNEL64} (9). */
    record SetTunnel(long tunId, boolean wide) implements Action { }

    /** {@code NXAST_POP_QUEUE} (5). */
    record PopQueue() implements Action { }

    /** {@code NXAST_EXIT} (17). */
    record Exit() implements Action { }

    /**
     * {@code conjunction(id,k/n)}: this flow is clause {@code k} (1-based) of {@code n} of conjunctive match {@code id}
     * ({@code NXAST_CONJUNCTION}, NX subtype 34). Never executed: the table lookup treats a flow whose actions are
     * conjunctions as a clause (see {@code table.Classifier}). Wire body after the 10-byte NX header:
     * <pre>
     * +--------+----------+-------------+
     * | clause | n_clauses|     id      |   clause 0-based on the wire; 2 ≤ n_clauses ≤ 64; 16 bytes in all
     * |   u8   |    u8    |    u32      |
     * +--------+----------+-------------+
     * </pre>
     *
     * @param id the conjunction id (unsigned 32 bits)
     * @param clause the clause index, 0-based as on the wire (printed 1-based)
     * @param nClauses the number of clauses
     */
    record Conjunction(long id, int clause, int nClauses) implements Action {
        /** This clause as the classifier keeps it: {@code id << 32 | clause << 8 | nClauses}. */
        public long packed() {
            return id << 32 | (long) clause << 8 | nClauses;
        }
    }

    /**
     * {@code NXAST_OUTPUT_REG} (15) or {@code NXAST_OUTPUT_REG2} (32): output to the port in bits
     * {@code [ofs, ofs+nBits)} of {@code src}.
     */
    record OutputReg(MatchField src, int ofs, int nBits, int maxLen, long srcHeader, boolean v2) implements Action { }

    /**
     * {@code NXAST_CONTROLLER} (20) or {@code NXAST_CONTROLLER2} (37): send to the controller. {@code userdata} is
     * null when absent; {@code meterId} -1 when absent.
     */
    record Controller(int maxLen, int controllerId, int reason, byte[] userdata, boolean pause, long meterId,
                      boolean v2) implements Action {
        /** Copies {@code userdata}. */
        public Controller {
            userdata = userdata == null ? null : userdata.clone();
        }

        @Override
        public byte[] userdata() {
            return userdata == null ? null : userdata.clone();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Controller)) {
                return false;
            }
            Controller c = (Controller) o;
            return c.maxLen == maxLen && c.controllerId == controllerId && c.reason == reason && c.pause == pause
                    && c.meterId == meterId && c.v2 == v2 && Arrays.equals(c.userdata, userdata);
        }

        @Override
        public int hashCode() {
            return maxLen * 31 + reason;
        }
    }

    /** {@code ct(...)} ({@code NXAST_CT}, NX subtype 35), decoded by {@link CtActionDecoder}. */
    record Conntrack(dev.ofswitch.ctactions.CtAction ct) implements Action { }

    /** {@code ct_clear} ({@code NXAST_CT_CLEAR}, NX subtype 43). */
    record CtClear() implements Action { }

    /** {@code nat(...)} ({@code NXAST_NAT}, NX subtype 36); valid only inside {@code ct()}. */
    record Nat(dev.ofswitch.ctactions.NatSpec nat, byte[] raw) implements Action {
        /** Copies {@code raw}. */
        public Nat {
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Nat && Arrays.equals(((Nat) o).raw, raw);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(raw);
        }
    }

    /** OpenFlow 1.5 {@code OFPAT_METER} (29). */
    record Meter(long meterId) implements Action { }

    /**
     * An action this codec does not interpret but an {@link ExperimenterActions} hook accepted (the conntrack family
     * until its decoder is wired in): {@code raw} is the whole action as received, including nested actions.
     */
    record Opaque(int experimenter, int subtype, byte[] raw) implements Action {
        /** Copies {@code raw}. */
        public Opaque {
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque && ((Opaque) o).subtype == subtype && Arrays.equals(((Opaque) o).raw, raw);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(raw);
        }
    }

    /**
     * An immutable list of actions together with the bytes they were decoded from and the wire version of those bytes
     * (0 when unknown), so that an encoder for another version knows when the bytes cannot be echoed.
     */
    final class ActionList {
        private final List<Action> actions;
        private final byte[] raw;
        private final int version;

        ActionList(List<Action> actions, byte[] raw) {
            this(actions, raw, 0);
        }

        ActionList(List<Action> actions, byte[] raw, int version) {
            this.actions = List.copyOf(actions);
            this.raw = raw;
            this.version = version;
        }

        /**
         * A list built by hand (parsers, tests): its raw bytes are the actions encoded for {@code version} by
         * {@link ActionCodec}.
         */
        public static ActionList of(List<Action> actions, int version) {
            io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
            ActionCodec.encode(b, actions, version);
            byte[] raw = new byte[b.readableBytes()];
            b.readBytes(raw);
            return new ActionList(actions, raw, version);
        }

        /** The wire version the actions were decoded from ({@link OfVersion}), or 0 if unknown. */
        public int version() {
            return version;
        }

        /** The actions in wire order. */
        public List<Action> actions() {
            return actions;
        }

        /** A copy of the bytes as received. */
        public byte[] raw() {
            return raw.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ActionList && ((ActionList) o).actions.equals(actions);
        }

        @Override
        public int hashCode() {
            return actions.hashCode();
        }

        @Override
        public String toString() {
            return actions.toString();
        }
    }
}
