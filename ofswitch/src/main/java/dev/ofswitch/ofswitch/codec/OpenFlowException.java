package dev.ofswitch.ofswitch.codec;

/**
 * A request the switch refuses, carrying the one {@link ErrorCode} that answers it, like OVS's handlers returning an
 * {@code enum ofperr}. The channel handler catches it in one place and sends {@link ErrorMessages#encode} of it.
 *
 * <p>It is a control-path exception: it carries no stack trace, because a broken controller can make the switch
 * throw many of them and the code is the whole diagnosis.
 */
public final class OpenFlowException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /** An exception for {@code code}, with the error name as message. */
    public OpenFlowException(ErrorCode code) {
        this(code, null);
    }

    /** An exception for {@code code} with a human-readable detail (for logs, never sent on the wire). */
    public OpenFlowException(ErrorCode code, String detail) {
        super(detail == null ? code.name() : code.name() + ": " + detail, null, false, false);
        this.code = code;
    }

    /** The error to send. */
    public ErrorCode code() {
        return code;
    }
}
