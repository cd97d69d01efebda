package dev.ofswitch.ofswitch.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Unix-domain listening sockets that only their owner can use: the unixctl socket ({@code ovs-appctl}) and
 * {@code punix:} OpenFlow listeners ({@code ovs-ofctl ... unix:PATH}), either of which controls the whole switch.
 *
 * <p>Connecting to a unix socket needs write permission on its file. Java binds with the process umask and cannot
 * pass a mode, so a socket bound at its final path would be open to others (with umask 0) until a chmod. Instead
 * the socket is bound inside a fresh directory of mode 0700 next to the path, given mode 0700, and renamed into place:
 * there is no moment at which anyone else can connect. OVS makes its sockets 0770 (owner and group, in
 * {@code bind_unix_socket()}) inside a run directory of its own; we leave the group out.
 */
public final class UnixSockets {
    /** The mode of the socket files: owner only. */
    public static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwx------");

    private UnixSockets() {
    }

    /** Binds a listening socket at a given path and returns what it made. */
    @FunctionalInterface
    public interface Binder<T> {
        /** Binds at {@code path}; on failure, leaves nothing open. */
        T bind(Path path) throws IOException;
    }

    /**
     * Binds with {@code binder} so that the socket appears at {@code path} already restricted to its owner, replacing
     * a stale socket file there.
     *
     * @throws IOException if the directory of {@code path} cannot be written, or binding fails
     */
    public static <T> T bindPrivately(Path path, Binder<T> binder) throws IOException {
        Path abs = path.toAbsolutePath();
        Path parent = abs.getParent();
        // Short names: a unix socket path has at most 107 bytes, and the temporary one must fit wherever the final
        // one does (".s" + a random number + "/s" is at most 24 bytes below the directory).
        Path dir = Files.createTempDirectory(parent, ".s");   // mode 0700
        Path tmp = dir.resolve("s");
        try {
            T bound = binder.bind(tmp);
            try {
                try {
                    Files.setPosixFilePermissions(tmp, MODE);
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: the private directory was the protection while it lasted.
                }
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                if (bound instanceof AutoCloseable c) {
                    closeQuietly(c);
                } else if (bound instanceof io.netty.channel.Channel ch) {
                    ch.close();
                }
                throw e;
            }
            return bound;
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Already failing; the original error is the one to report.
        }
    }
}
