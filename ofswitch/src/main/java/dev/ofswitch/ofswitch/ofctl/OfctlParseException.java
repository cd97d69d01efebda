package dev.ofswitch.ofswitch.ofctl;

/**
 * Text that ovs-ofctl 3.1 would refuse. {@link #getMessage()} is exactly what ovs-ofctl prints on stderr after
 * {@code "ovs-ofctl: "} for the same input (for example {@code unknown keyword foo} or
 * {@code 1.2.3.4/33: IPv4 network prefix bits not between 0 and 32, inclusive}); {@link #token()} is the part of the
 * input it is about (a keyword, a value, an action), for tools that want to underline it.
 *
 * <p>This is the only exception the parser throws for bad input: anything else escaping it is a bug.
 */
public final class OfctlParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String token;

    /**
     * @param message ovs-ofctl's message, without the {@code "ovs-ofctl: "} prefix
     * @param token   the offending part of the input ("" if the whole input is at fault)
     */
    public OfctlParseException(String message, String token) {
        super(message, null, false, false);
        this.token = token == null ? "" : token;
    }

    /** The offending keyword, value or action, as written in the input. */
    public String token() {
        return token;
    }

    /** The same error with a prefix, as ovs-ofctl prefixes {@code FILE:LINE: } for add-flows files. */
    OfctlParseException withPrefix(String prefix) {
        return new OfctlParseException(prefix + getMessage(), token);
    }
}
