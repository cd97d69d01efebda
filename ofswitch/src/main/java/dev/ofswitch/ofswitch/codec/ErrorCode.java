package dev.ofswitch.ofswitch.codec;

import java.util.Locale;

/**
 * The switch's one error vocabulary, modelled on OVS's {@code enum ofperr}
 * ({@code include/openvswitch/ofp-errors.h}).
 *
 * <p>Each constant carries the very specification string that precedes the matching constant in
 * {@code ofp-errors.h}, for example {@code "NX1.0(1,512), OF1.1+(1,9)"} for {@link #OFPBRC_BAD_TABLE_ID}. The string
 * lists, per OpenFlow version range, who defines the error and its wire numbers:
 * <ul>
 *   <li>{@code OF1.x(type,code)}: a standard {@code ofp_error_msg} with that type and code;</li>
 *   <li>{@code NX1.0-1.1(type,code)}: a Nicira vendor error, sent in OpenFlow 1.0/1.1 as
 *       {@code ofp_error_msg{type=NXET_VENDOR 0xb0c2, code=NXVC_VENDOR_ERROR 0}} followed by
 *       {@code nx_vendor_error{vendor=0x00002320, type, code}};</li>
 *   <li>{@code NX1.2+(code)} / {@code ONF1.3-1.4(code)}: an experimenter error, sent in OpenFlow 1.2+ as
 *       {@code ofp_error_experimenter_msg{type=OFPET_EXPERIMENTER 0xffff, exp_code=code, experimenter}} with
 *       experimenter 0x00002320 (NX) or 0x4f4e4600 (ONF).</li>
 * </ul>
 * Group errors (OFPGMFC_*, OFPBAC_BAD_OUT_GROUP) also have OpenFlow 1.0 Nicira encodings with their OpenFlow 1.1+
 * type and code, because OVS supports groups in 1.0 through NXT_GROUP_MOD; that is what ovs-ofctl 3.1 decodes
 * (checked with {@code ofp-print}), although ofp-errors.h does not spell it out. As OVS's
 * {@code ofperr_encode_msg__()} does, an error that has no encoding in the connection's version is sent as
 * {@link #NXBRC_UNENCODABLE_ERROR}. {@link ErrorMessages} turns a constant into an {@code OFPT_ERROR}.
 *
 * <p>Names are OVS's, which are what {@code ovs-ofctl} prints. Where the OpenFlow 1.1+ specification renamed an error,
 * the spec name is a static alias, e.g. {@link #OFPBAC_BAD_EXPERIMENTER_TYPE} is {@link #OFPBAC_BAD_VENDOR_TYPE}.
 */
public enum ErrorCode {
    // OFPET_HELLO_FAILED
    /** No compatible version. */
    OFPHFC_INCOMPATIBLE("OF1.0+(0,0)"),
    /** Permissions error. */
    OFPHFC_EPERM("OF1.0+(0,1)"),

    // OFPET_BAD_REQUEST
    /** {@code ofp_header.version} not supported. */
    OFPBRC_BAD_VERSION("OF1.0+(1,0)"),
    /** {@code ofp_header.type} not supported. */
    OFPBRC_BAD_TYPE("OF1.0+(1,1)"),
    /** {@code ofp_stats_msg.type} (multipart type) not supported. */
    OFPBRC_BAD_STAT("OF1.0+(1,2)"),
    /** Vendor / experimenter not supported (in {@code ofp_vendor_header} or {@code ofp_stats_msg}). */
    OFPBRC_BAD_VENDOR("OF1.0+(1,3)"),
    /** Vendor subtype / experimenter type not supported. */
    OFPBRC_BAD_SUBTYPE("OF1.0+(1,4)"),
    /** Permissions error. */
    OFPBRC_EPERM("OF1.0+(1,5)"),
    /** Wrong request length for type. */
    OFPBRC_BAD_LEN("OF1.0+(1,6)"),
    /** Specified buffer has already been used. */
    OFPBRC_BUFFER_EMPTY("OF1.0+(1,7)"),
    /** Specified buffer does not exist. */
    OFPBRC_BUFFER_UNKNOWN("OF1.0+(1,8)"),
    /** Specified table-id invalid or does not exist. */
    OFPBRC_BAD_TABLE_ID("NX1.0(1,512), OF1.1+(1,9)"),
    /** Denied because controller is slave. */
    OFPBRC_IS_SLAVE("OF1.0-1.1(1,5), OF1.2+(1,10)"),
    /** Invalid port. */
    OFPBRC_BAD_PORT("NX1.0-1.1(1,514), OF1.2+(1,11)"),
    /** Invalid packet in packet-out. */
    OFPBRC_BAD_PACKET("OF1.2+(1,12)"),
    /** Multipart request overflowed the assigned buffer. */
    OFPBRC_MULTIPART_BUFFER_OVERFLOW("OF1.3+(1,13)"),
    /** Invalid NXM flow match. */
    NXBRC_NXM_INVALID("NX1.0-1.1(1,256), NX1.2+(2)"),
    /** The nxm_type, or nxm_type with nxm_hasmask or nxm_length, is invalid or not implemented. */
    NXBRC_NXM_BAD_TYPE("NX1.0-1.1(1,257), NX1.2+(3)"),
    /** Must-be-zero field had nonzero value. */
    NXBRC_MUST_BE_ZERO("NX1.0-1.1(1,515), NX1.2+(4)"),
    /** The reason in an {@code ofp_port_status} message is not valid. */
    NXBRC_BAD_REASON("NX1.0-1.1(1,516), NX1.2+(5)"),
    /** The error that occurred cannot be represented in this OpenFlow version. */
    NXBRC_UNENCODABLE_ERROR("NX1.0-1.1(1,521), NX1.2+(10)"),

    // OFPET_BAD_ACTION
    /** Unknown action type. */
    OFPBAC_BAD_TYPE("OF1.0+(2,0)"),
    /** Length problem in actions. */
    OFPBAC_BAD_LEN("OF1.0+(2,1)"),
    /** Unknown experimenter id specified. */
    OFPBAC_BAD_VENDOR("OF1.0+(2,2)"),
    /** Unknown action type for experimenter id (OpenFlow 1.1+: OFPBAC_BAD_EXPERIMENTER_TYPE). */
    OFPBAC_BAD_VENDOR_TYPE("OF1.0+(2,3)"),
    /** Problem validating output port. */
    OFPBAC_BAD_OUT_PORT("OF1.0+(2,4)"),
    /** Bad action argument. */
    OFPBAC_BAD_ARGUMENT("OF1.0+(2,5)"),
    /** Permissions error. */
    OFPBAC_EPERM("OF1.0+(2,6)"),
    /** Can't handle this many actions. */
    OFPBAC_TOO_MANY("OF1.0+(2,7)"),
    /** Problem validating output queue. */
    OFPBAC_BAD_QUEUE("OF1.0+(2,8)"),
    /** Invalid group id in forward action. */
    OFPBAC_BAD_OUT_GROUP("NX1.0(2,9), OF1.1+(2,9)"),
    /** Action can't apply for this match, or a prerequisite for use of this field is unmet. */
    OFPBAC_MATCH_INCONSISTENT("NX1.0(1,522), OF1.1+(2,10)"),
    /** Action order is unsupported for the action list in an Apply-Actions instruction. */
    OFPBAC_UNSUPPORTED_ORDER("OF1.1+(2,11)"),
    /** Actions uses an unsupported tag/encap. */
    OFPBAC_BAD_TAG("OF1.1+(2,12)"),
    /** Action uses unknown or unsupported OXM or NXM field. */
    OFPBAC_BAD_SET_TYPE("NX1.0-1.1(1,523), OF1.2+(2,13)"),
    /** Action references past the end of an OXM or NXM field, or uses a length of zero. */
    OFPBAC_BAD_SET_LEN("NX1.0-1.1(1,524), OF1.2+(2,14)"),
    /** Action sets a field to an invalid or unsupported value, or modifies a read-only field. */
    OFPBAC_BAD_SET_ARGUMENT("NX1.0-1.1(1,525), OF1.2+(2,15)"),
    /** Field in Set-Field action has Has-Mask bit set to 1. */
    OFPBAC_BAD_SET_MASK("ONF1.3-1.4(4250), OF1.5+(2,16)"),
    /** Must-be-zero action argument had nonzero value. */
    NXBAC_MUST_BE_ZERO("NX1.0-1.1(2,256), NX1.2+(11)"),
    /** Conjunction action must be only action present. */
    NXBAC_BAD_CONJUNCTION("NX1.0-1.1(2,526), NX1.2+(15)"),

    // OFPET_BAD_INSTRUCTION
    /** Unknown instruction. */
    OFPBIC_UNKNOWN_INST("OF1.1+(3,0)"),
    /** Switch or table does not support the instruction. */
    OFPBIC_UNSUP_INST("NX1.0(2,257), OF1.1+(3,1)"),
    /** Invalid Table-ID specified. */
    OFPBIC_BAD_TABLE_ID("OF1.1+(3,2)"),
    /** Metadata value unsupported by datapath. */
    OFPBIC_UNSUP_METADATA("OF1.1+(3,3)"),
    /** Metadata mask value unsupported by datapath. */
    OFPBIC_UNSUP_METADATA_MASK("OF1.1+(3,4)"),
    /** Unknown experimenter id specified. */
    OFPBIC_BAD_EXPERIMENTER("OF1.1+(3,5)"),
    /** Unknown instruction for experimenter id. */
    OFPBIC_BAD_EXP_TYPE("OF1.1(3,5), OF1.2+(3,6)"),
    /** Length problem in instructions. */
    OFPBIC_BAD_LEN("OF1.2+(3,7)"),
    /** Permissions error. */
    OFPBIC_EPERM("OF1.2+(3,8)"),
    /** Duplicate instruction. */
    OFPBIC_DUP_INST("NX1.1(3,256), ONF1.2-1.3(2600), OF1.4+(3,9)"),

    // OFPET_BAD_MATCH
    /** Unsupported match type specified by the match. */
    OFPBMC_BAD_TYPE("OF1.1+(4,0)"),
    /** Length problem in match. */
    OFPBMC_BAD_LEN("OF1.1+(4,1)"),
    /** Match uses an unsupported tag/encap. */
    OFPBMC_BAD_TAG("OF1.1+(4,2)"),
    /** Unsupported datalink addr mask. */
    OFPBMC_BAD_DL_ADDR_MASK("OF1.1+(4,3)"),
    /** Unsupported network addr mask. */
    OFPBMC_BAD_NW_ADDR_MASK("OF1.1+(4,4)"),
    /** Unsupported wildcard specified in the match. */
    OFPBMC_BAD_WILDCARDS("NX1.0(1,262), OF1.1+(4,5)"),
    /** Unsupported field in the match. (OVS writes this one {@code NX1.0(0,263)}.) */
    OFPBMC_BAD_FIELD("NX1.0(0,263), OF1.1+(4,6)"),
    /** Unsupported value in a match field. */
    OFPBMC_BAD_VALUE("NX1.0(1,258), OF1.1+(4,7)"),
    /** Unsupported mask specified in the match. */
    OFPBMC_BAD_MASK("NX1.0-1.1(1,259), OF1.2+(4,8)"),
    /** A prerequisite was not met. */
    OFPBMC_BAD_PREREQ("NX1.0-1.1(1,260), OF1.2+(4,9)"),
    /** A field type was duplicated. */
    OFPBMC_DUP_FIELD("NX1.0-1.1(1,261), OF1.2+(4,10)"),
    /** Permissions error. */
    OFPBMC_EPERM("OF1.2+(4,11)"),

    // OFPET_FLOW_MOD_FAILED
    /** Unspecified error. */
    OFPFMFC_UNKNOWN("OF1.1+(5,0)"),
    /** Flow not added because of full table(s). */
    OFPFMFC_TABLE_FULL("OF1.0(3,0), OF1.1+(5,1)"),
    /** Table does not exist. */
    OFPFMFC_BAD_TABLE_ID("OF1.1+(5,2)"),
    /** Attempted to add overlapping flow with CHECK_OVERLAP flag set. */
    OFPFMFC_OVERLAP("OF1.0(3,1), OF1.1+(5,3)"),
    /** Permissions error. */
    OFPFMFC_EPERM("OF1.0(3,2), OF1.1+(5,4)"),
    /** Flow not added because of unsupported idle/hard timeout. */
    OFPFMFC_BAD_TIMEOUT("OF1.1+(5,5)"),
    /** Flow not added because of non-zero idle/hard timeout (OpenFlow 1.0 emergency flows). */
    OFPFMFC_BAD_EMERG_TIMEOUT("OF1.0(3,3)"),
    /** Unsupported or unknown command. */
    OFPFMFC_BAD_COMMAND("OF1.0(3,4), OF1.1+(5,6)"),
    /** Unsupported or unknown flags. */
    OFPFMFC_BAD_FLAGS("NX1.0(3,258), NX1.1(5,258), OF1.2+(5,7)"),
    /** Unsupported action list: cannot process in the order specified. */
    OFPFMFC_UNSUPPORTED("OF1.0(3,5)"),
    /** Generic hardware error. */
    NXFMFC_HARDWARE("NX1.0-1.1(5,256), NX1.2+(12)"),
    /** A nonexistent table ID was specified in the "command" field (NXT_FLOW_MOD_TABLE_ID enabled). */
    NXFMFC_BAD_TABLE_ID("NX1.0-1.1(5,257), NX1.2+(13)"),
    /** Attempted to add a flow with an invalid variable length meta-flow field (an unmapped tun_metadata). */
    NXFMFC_INVALID_TLV_FIELD("NX1.0-1.1(1,536), NX1.2+(37)"),

    // OFPET_GROUP_MOD_FAILED
    /** Group not added because a group ADD attempted to replace an already-present group. */
    OFPGMFC_GROUP_EXISTS("NX1.0(6,0), OF1.1+(6,0)"),
    /** Group not added because Group specified is invalid. */
    OFPGMFC_INVALID_GROUP("NX1.0(6,1), OF1.1+(6,1)"),
    /** Switch does not support unequal load sharing with select groups. */
    OFPGMFC_WEIGHT_UNSUPPORTED("NX1.0(6,2), OF1.1+(6,2)"),
    /** The group table is full. */
    OFPGMFC_OUT_OF_GROUPS("NX1.0(6,3), OF1.1+(6,3)"),
    /** The maximum number of action buckets for a group has been exceeded. */
    OFPGMFC_OUT_OF_BUCKETS("NX1.0(6,4), OF1.1+(6,4)"),
    /** Switch does not support groups that forward to groups. */
    OFPGMFC_CHAINING_UNSUPPORTED("NX1.0(6,5), OF1.1+(6,5)"),
    /** This group cannot watch the watch_port or watch_group specified. */
    OFPGMFC_WATCH_UNSUPPORTED("NX1.0(6,6), OF1.1+(6,6)"),
    /** Group entry would cause a loop. */
    OFPGMFC_LOOP("NX1.0(6,7), OF1.1+(6,7)"),
    /** Group not modified because a group MODIFY attempted to modify a non-existent group. */
    OFPGMFC_UNKNOWN_GROUP("NX1.0(6,8), OF1.1+(6,8)"),
    /** Group not deleted because another group is forwarding to it. */
    OFPGMFC_CHAINED_GROUP("NX1.0(6,9), OF1.2+(6,9)"),
    /** Unsupported or unknown group type. */
    OFPGMFC_BAD_TYPE("NX1.0(6,10), OF1.2+(6,10)"),
    /** Unsupported or unknown command. */
    OFPGMFC_BAD_COMMAND("NX1.0(6,11), OF1.2+(6,11)"),
    /** Error in bucket. */
    OFPGMFC_BAD_BUCKET("NX1.0(6,12), OF1.2+(6,12)"),
    /** Error in watch port/group. */
    OFPGMFC_BAD_WATCH("NX1.0(6,13), OF1.2+(6,13)"),
    /** Permissions error. */
    OFPGMFC_EPERM("NX1.0(6,14), OF1.2+(6,14)"),
    /** Invalid bucket identifier used in INSERT BUCKET or REMOVE BUCKET command. */
    OFPGMFC_UNKNOWN_BUCKET("NX1.0(6,15), OF1.5+(6,15)"),
    /** Can't insert bucket because a bucket already exist with that bucket-id. */
    OFPGMFC_BUCKET_EXISTS("NX1.0(6,16), OF1.5+(6,16)"),

    // OFPET_PORT_MOD_FAILED
    /** Specified port does not exist. */
    OFPPMFC_BAD_PORT("OF1.0(4,0), OF1.1+(7,0)"),
    /** Specified hardware address does not match the port number. */
    OFPPMFC_BAD_HW_ADDR("OF1.0(4,1), OF1.1+(7,1)"),
    /** Specified config is invalid. */
    OFPPMFC_BAD_CONFIG("OF1.1+(7,2)"),
    /** Specified advertise is invalid. */
    OFPPMFC_BAD_ADVERTISE("OF1.1+(7,3)"),
    /** Permissions error. */
    OFPPMFC_EPERM("OF1.2+(7,4)"),

    // OFPET_TABLE_MOD_FAILED
    /** Specified table does not exist. */
    OFPTMFC_BAD_TABLE("OF1.1+(8,0)"),
    /** Specified config is invalid. */
    OFPTMFC_BAD_CONFIG("OF1.1+(8,1)"),
    /** Permissions error. */
    OFPTMFC_EPERM("OF1.2+(8,2)"),

    // OFPET_QUEUE_OP_FAILED
    /** Invalid port (or port does not exist). */
    OFPQOFC_BAD_PORT("OF1.0(5,0), OF1.1+(9,0)"),
    /** Queue does not exist. */
    OFPQOFC_BAD_QUEUE("OF1.0(5,1), OF1.1+(9,1)"),
    /** Permissions error. */
    OFPQOFC_EPERM("OF1.0(5,2), OF1.1+(9,2)"),

    // OFPET_SWITCH_CONFIG_FAILED
    /** Specified flags is invalid. */
    OFPSCFC_BAD_FLAGS("OF1.1+(10,0)"),
    /** Specified len is invalid. */
    OFPSCFC_BAD_LEN("OF1.1+(10,1)"),
    /** Permissions error. */
    OFPSCFC_EPERM("OF1.2+(10,2)"),

    // OFPET_ROLE_REQUEST_FAILED
    /** Stale Message: old generation_id. */
    OFPRRFC_STALE("OF1.2+(11,0)"),
    /** Controller role change unsupported. */
    OFPRRFC_UNSUP("OF1.2+(11,1)"),
    /** Invalid role. */
    OFPRRFC_BAD_ROLE("NX1.0-1.1(1,513), OF1.2+(11,2)"),

    // OFPET_METER_MOD_FAILED
    /** Unspecified error. */
    OFPMMFC_UNKNOWN("OF1.3+(12,0)"),
    /** Meter not added because a Meter ADD attempted to replace an existing Meter. */
    OFPMMFC_METER_EXISTS("OF1.3+(12,1)"),
    /** Meter not added because Meter specified is invalid. */
    OFPMMFC_INVALID_METER("OF1.3+(12,2)"),
    /** Meter not modified because a Meter MODIFY attempted to modify a non-existent Meter. */
    OFPMMFC_UNKNOWN_METER("OF1.3+(12,3)"),

    // OFPET_BAD_PROPERTY
    /** Unknown property type (OpenFlow 1.3: OFPTFFC_BAD_TYPE). */
    OFPBPC_BAD_TYPE("NX1.0-1.1(13,2), NX1.2(25), OF1.3(13,2), OF1.4+(14,0)"),
    /** Length problem in property (OpenFlow 1.3: OFPTFFC_BAD_LEN). */
    OFPBPC_BAD_LEN("NX1.0-1.1(13,3), NX1.2(26), OF1.3(13,3), OF1.4+(14,1)"),
    /** Unsupported property value (OpenFlow 1.3: OFPTFFC_BAD_ARGUMENT). */
    OFPBPC_BAD_VALUE("NX1.0-1.1(13,4), NX1.2(27), OF1.3(13,4), OF1.4+(14,2)"),
    /** Can't handle this many properties. */
    OFPBPC_TOO_MANY("NX1.0-1.1(14,3), NX1.2(28), ONF1.3(4443), OF1.4+(14,3)"),
    /** A property type was duplicated. */
    OFPBPC_DUP_TYPE("NX1.0-1.1(14,4), NX1.2(29), ONF1.3(4444), OF1.4+(14,4)"),
    /** Unknown experimenter id specified. */
    OFPBPC_BAD_EXPERIMENTER("NX1.0-1.1(14,5), NX1.2(30), ONF1.3(4445), OF1.4+(14,5)"),
    /** Unknown exp_type for experimenter id. */
    OFPBPC_BAD_EXP_TYPE("NX1.0-1.1(14,6), NX1.2(31), ONF1.3(4446), OF1.4+(14,6)"),
    /** Unknown value for experimenter id. */
    OFPBPC_BAD_EXP_VALUE("NX1.0-1.1(14,7), NX1.2(32), ONF1.3(4447), OF1.4+(14,7)"),
    /** Permissions error. */
    OFPBPC_EPERM("NX1.0-1.1(14,8), NX1.2(33), ONF1.3(4448), OF1.4+(14,8)"),

    // OFPET_ASYNC_CONFIG_FAILED
    /** One mask is invalid. */
    OFPACFC_INVALID("OF1.4+(15,0)"),
    /** Requested configuration not supported. */
    OFPACFC_UNSUPPORTED("OF1.4+(15,1)"),
    /** Permissions error. */
    OFPACFC_EPERM("OF1.4+(15,2)"),

    // OFPET_BUNDLE_FAILED (OpenFlow 1.3: the ONF bundle extension's experimenter errors)
    /** Unspecified error. */
    OFPBFC_UNKNOWN("ONF1.3(2300), OF1.4+(17,0)"),
    /** Permissions error. */
    OFPBFC_EPERM("ONF1.3(2301), OF1.4+(17,1)"),
    /** Bundle ID doesn't exist. */
    OFPBFC_BAD_ID("ONF1.3(2302), OF1.4+(17,2)"),
    /** Bundle ID already exists. */
    OFPBFC_BUNDLE_EXIST("ONF1.3(2303), OF1.4+(17,3)"),
    /** Bundle ID is closed. */
    OFPBFC_BUNDLE_CLOSED("ONF1.3(2304), OF1.4+(17,4)"),
    /** Too many bundle IDs. */
    OFPBFC_OUT_OF_BUNDLES("ONF1.3(2305), OF1.4+(17,5)"),
    /** Unsupported of unknown message control type. */
    OFPBFC_BAD_TYPE("ONF1.3(2306), OF1.4+(17,6)"),
    /** Unsupported, unknown, or inconsistent flags. */
    OFPBFC_BAD_FLAGS("ONF1.3(2307), OF1.4+(17,7)"),
    /** Length problem in included message. */
    OFPBFC_MSG_BAD_LEN("ONF1.3(2308), OF1.4+(17,8)"),
    /** Inconsistent or duplicate XID. */
    OFPBFC_MSG_BAD_XID("ONF1.3(2309), OF1.4+(17,9)"),
    /** Unsupported message in this bundle. */
    OFPBFC_MSG_UNSUP("ONF1.3(2310), OF1.4+(17,10)"),
    /** Unsupported message combination in this bundle. */
    OFPBFC_MSG_CONFLICT("ONF1.3(2311), OF1.4+(17,11)"),
    /** Can't handle this many messages in bundle. */
    OFPBFC_MSG_TOO_MANY("ONF1.3(2312), OF1.4+(17,12)"),
    /** One message in bundle failed. */
    OFPBFC_MSG_FAILED("ONF1.3(2313), OF1.4+(17,13)"),
    /** Bundle is taking too long. */
    OFPBFC_TIMEOUT("ONF1.3(2314), OF1.4+(17,14)"),
    /** Bundle is locking the resource. */
    OFPBFC_BUNDLE_IN_PROGRESS("ONF1.3(2315), OF1.4+(17,15)"),
    /** In an OFPT_BUNDLE_ADD_MESSAGE, the OpenFlow version in the inner and outer messages differ. */
    OFPBFC_BAD_VERSION("NX1.4-1.5(22), OF1.6+(17,19)");

    /** OpenFlow 1.1+ spec name of {@link #OFPBAC_BAD_VENDOR_TYPE}: unknown action type for experimenter id. */
    public static final ErrorCode OFPBAC_BAD_EXPERIMENTER_TYPE = OFPBAC_BAD_VENDOR_TYPE;
    /** OpenFlow 1.1+ spec name of {@link #OFPBRC_BAD_VENDOR}. */
    public static final ErrorCode OFPBRC_BAD_EXPERIMENTER = OFPBRC_BAD_VENDOR;
    /** OpenFlow 1.1+ spec name of {@link #OFPBRC_BAD_SUBTYPE}. */
    public static final ErrorCode OFPBRC_BAD_EXP_TYPE = OFPBRC_BAD_SUBTYPE;
    /** OpenFlow 1.1+ spec name of {@link #OFPBAC_BAD_VENDOR}. */
    public static final ErrorCode OFPBAC_BAD_EXPERIMENTER = OFPBAC_BAD_VENDOR;

    /** Nicira's vendor id, {@code NX_VENDOR_ID}. */
    public static final int NX_VENDOR_ID = 0x00002320;
    /** The Open Networking Foundation's experimenter id, {@code ONF_VENDOR_ID}. */
    public static final int ONF_VENDOR_ID = 0x4f4e4600;

    private final String spec;
    /** Per wire version 1..6: vendor (0 = standard), type, code; type -1 = not encodable. */
    private final int[] vendor = new int[7];
    private final int[] type = new int[7];
    private final int[] code = new int[7];

    ErrorCode(String spec) {
        this.spec = spec;
        java.util.Arrays.fill(type, -1);
        java.util.Arrays.fill(code, -1);
        for (String part : spec.split(",\\s*(?=[A-Z])")) {
            parse(part.trim());
        }
    }

    private void parse(String part) {
        int open = part.indexOf('(');
        String head = part.substring(0, open);
        String[] nums = part.substring(open + 1, part.length() - 1).split(",");
        int v;
        String versions;
        if (head.startsWith("OF")) {
            v = 0;
            versions = head.substring(2);
        } else if (head.startsWith("NX")) {
            v = NX_VENDOR_ID;
            versions = head.substring(2);
        } else if (head.startsWith("ONF")) {
            v = ONF_VENDOR_ID;
            versions = head.substring(3);
        } else {
            throw new IllegalArgumentException(part);
        }
        int lo;
        int hi;
        if (versions.endsWith("+")) {
            lo = wire(versions.substring(0, versions.length() - 1));
            hi = 6;
        } else if (versions.contains("-")) {
            String[] r = versions.split("-");
            lo = wire(r[0]);
            hi = wire(r[1]);
        } else {
            lo = hi = wire(versions);
        }
        for (int w = lo; w <= Math.min(hi, 6); w++) {
            vendor[w] = v;
            if (nums.length == 2) {
                type[w] = Integer.parseInt(nums[0].trim());
                code[w] = Integer.parseInt(nums[1].trim());
            } else {
                // Experimenter errors have a single number: the exp_code.
                type[w] = Integer.parseInt(nums[0].trim());
                code[w] = 0;
            }
        }
    }

    private static int wire(String dotted) {
        // "1.0" -> 1, "1.3" -> 4, "1.5" -> 6.
        return Integer.parseInt(dotted.substring(dotted.indexOf('.') + 1)) + 1;
    }

    /** The version specification, exactly as in OVS's ofp-errors.h, e.g. {@code "NX1.0(1,512), OF1.1+(1,9)"}. */
    public String spec() {
        return spec;
    }

    /** Whether this error has an encoding in OpenFlow wire version {@code version} (1 = OF1.0 ... 6 = OF1.5). */
    public boolean isEncodable(int version) {
        return version >= 1 && version <= 6 && type[version] >= 0;
    }

    /** The vendor that defines the error in {@code version}: 0 for standard errors, else NX or ONF id. */
    public int vendor(int version) {
        return isEncodable(version) ? vendor[version] : -1;
    }

    /**
     * The {@code type} that goes on the wire for {@code version}: the standard type, the vendor error's inner type
     * (OF1.0/1.1), or the experimenter {@code exp_code} (OF1.2+). -1 if not encodable.
     */
    public int type(int version) {
        return isEncodable(version) ? type[version] : -1;
    }

    /** The {@code code} for {@code version}; 0 for experimenter errors; -1 if not encodable. */
    public int code(int version) {
        return isEncodable(version) ? code[version] : -1;
    }

    /**
     * The error that {@code (vendor, type, code)} means in wire version {@code version}, as OVS's
     * {@code ofperr_decode()}, or null. For experimenter errors pass the exp_code as {@code type} and 0 as code.
     * Where two errors share an encoding, the one declared first wins, as in OVS.
     */
    public static ErrorCode fromWire(int version, int vendor, int type, int code) {
        for (ErrorCode e : values()) {
            if (e.isEncodable(version) && e.vendor[version] == vendor && e.type[version] == type
                    && e.code[version] == code) {
                return e;
            }
        }
        return null;
    }

    /** The name as OVS prints it, e.g. {@code OFPBMC_BAD_PREREQ}. */
    public String ovsName() {
        return name();
    }

    @Override
    public String toString() {
        return name().toUpperCase(Locale.ROOT);
    }
}
