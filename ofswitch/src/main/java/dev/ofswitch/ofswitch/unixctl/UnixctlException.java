package dev.ofswitch.ofswitch.unixctl;

/** A unixctl command failed; the message is sent back as the JSON-RPC error, as OVS does. */
public class UnixctlException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnixctlException(String message) {
        super(message);
    }
}
