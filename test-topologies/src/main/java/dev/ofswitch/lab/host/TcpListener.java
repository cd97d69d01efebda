package dev.ofswitch.lab.host;

import java.util.concurrent.CompletableFuture;

/** A listening TCP port ({@link EmulatedHost#listen}). Closing it leaves accepted connections alone. */
public interface TcpListener {
    int localPort();

    /** Stops listening; half-open connections are dropped and later SYNs are answered with RST. */
    CompletableFuture<Void> close();
}
