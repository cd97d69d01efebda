package dev.ofswitch.lab.host;

import java.io.IOException;

/** How a host operation failed: a {@link SocketError} and the operation's context. */
public final class HostNetworkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final SocketError error;

    public HostNetworkException(SocketError error, String context) {
        super(context + ": " + error.message() + " (" + error.name() + ")");
        this.error = error;
    }

    public SocketError error() {
        return error;
    }
}
