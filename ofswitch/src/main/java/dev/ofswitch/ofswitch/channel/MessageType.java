package dev.ofswitch.ofswitch.channel;

/**
 * OpenFlow message types independent of the wire version: the raw {@code ofp_header.type} numbers differ between
 * OF1.0 and OF1.1+ ({@code ofp_type} in each spec).
 */
public enum MessageType {
    HELLO, ERROR, ECHO_REQUEST, ECHO_REPLY, EXPERIMENTER, FEATURES_REQUEST, FEATURES_REPLY, GET_CONFIG_REQUEST,
    GET_CONFIG_REPLY, SET_CONFIG, PACKET_IN, FLOW_REMOVED, PORT_STATUS, PACKET_OUT, FLOW_MOD, GROUP_MOD, PORT_MOD,
    TABLE_MOD, MULTIPART_REQUEST, MULTIPART_REPLY, BARRIER_REQUEST, BARRIER_REPLY, QUEUE_GET_CONFIG_REQUEST,
    QUEUE_GET_CONFIG_REPLY, ROLE_REQUEST, ROLE_REPLY, GET_ASYNC_REQUEST, GET_ASYNC_REPLY, SET_ASYNC, METER_MOD,
    ROLE_STATUS, TABLE_STATUS, REQUESTFORWARD, BUNDLE_CONTROL, BUNDLE_ADD_MESSAGE, CONTROLLER_STATUS, UNKNOWN;

    private static final MessageType[] OF10 = {
        HELLO, ERROR, ECHO_REQUEST, ECHO_REPLY, EXPERIMENTER, FEATURES_REQUEST, FEATURES_REPLY, GET_CONFIG_REQUEST,
        GET_CONFIG_REPLY, SET_CONFIG, PACKET_IN, FLOW_REMOVED, PORT_STATUS, PACKET_OUT, FLOW_MOD, PORT_MOD,
        MULTIPART_REQUEST, MULTIPART_REPLY, BARRIER_REQUEST, BARRIER_REPLY, QUEUE_GET_CONFIG_REQUEST,
        QUEUE_GET_CONFIG_REPLY,
    };

    private static final MessageType[] OF13_UP = {
        HELLO, ERROR, ECHO_REQUEST, ECHO_REPLY, EXPERIMENTER, FEATURES_REQUEST, FEATURES_REPLY, GET_CONFIG_REQUEST,
        GET_CONFIG_REPLY, SET_CONFIG, PACKET_IN, FLOW_REMOVED, PORT_STATUS, PACKET_OUT, FLOW_MOD, GROUP_MOD, PORT_MOD,
        TABLE_MOD, MULTIPART_REQUEST, MULTIPART_REPLY, BARRIER_REQUEST, BARRIER_REPLY, QUEUE_GET_CONFIG_REQUEST,
        QUEUE_GET_CONFIG_REPLY, ROLE_REQUEST, ROLE_REPLY, GET_ASYNC_REQUEST, GET_ASYNC_REPLY, SET_ASYNC, METER_MOD,
        ROLE_STATUS, TABLE_STATUS, REQUESTFORWARD, BUNDLE_CONTROL, BUNDLE_ADD_MESSAGE, CONTROLLER_STATUS,
    };

    /** The type of raw type {@code type} in wire version {@code version}. */
    public static MessageType of(int version, int type) {
        MessageType[] table = version == OfVersion.OF10 ? OF10 : OF13_UP;
        if (type < 0 || type >= table.length) {
            return UNKNOWN;
        }
        MessageType t = table[type];
        // Types added after a version do not exist in it.
        if (version == OfVersion.OF13 && t.ordinal() > METER_MOD.ordinal()) {
            return UNKNOWN;
        }
        if (version == OfVersion.OF14 && t == CONTROLLER_STATUS) {
            return UNKNOWN;
        }
        return t;
    }

    /** The raw type number of this type in {@code version}, or -1 if it has none there. */
    public int code(int version) {
        MessageType[] table = version == OfVersion.OF10 ? OF10 : OF13_UP;
        for (int i = 0; i < table.length; i++) {
            if (table[i] == this) {
                return of(version, i) == this ? i : -1;
            }
        }
        return -1;
    }
}
