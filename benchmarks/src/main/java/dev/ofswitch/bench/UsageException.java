package dev.ofswitch.bench;

/** Wrong arguments to a subcommand; {@link Bench} prints the message (one line) and exits with status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
