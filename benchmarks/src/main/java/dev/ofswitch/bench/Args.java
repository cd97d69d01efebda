package dev.ofswitch.bench;

/**
 * The positional arguments of one subcommand, with its synopsis so that every error names the expected shape in one
 * line: {@code bench ct-multi: BATCH must be between 1 and 32 (usage: bench ct-multi N_THREADS ...)}.
 */
final class Args {
    private final String command;
    private final String synopsis;
    private final String[] values;

    /**
     * @param command  the subcommand as typed, e.g. {@code test-conntrack benchmark}
     * @param synopsis its arguments, e.g. {@code N_THREADS N_PKTS BATCH [CHANGE]}
     * @param values   the arguments after the subcommand
     * @param min      the fewest arguments it takes
     * @param max      the most arguments it takes
     */
    Args(String command, String synopsis, String[] values, int min, int max) throws UsageException {
        this.command = command;
        this.synopsis = synopsis;
        this.values = values;
        if (values.length < min || values.length > max) {
            throw error(min == max ? "expected " + min + " arguments, got " + values.length
                    : "expected " + min + " to " + max + " arguments, got " + values.length);
        }
    }

    /** Whether argument {@code i} (0-based) was given. */
    boolean has(int i) {
        return i < values.length;
    }

    /** Argument {@code i} as a decimal integer in {@code [min, max]}; {@code name} is its synopsis name. */
    long integer(int i, String name, long min, long max) throws UsageException {
        long v;
        try {
            v = Long.parseLong(values[i]);
        } catch (NumberFormatException e) {
            throw error(name + " must be an integer, got \"" + values[i] + "\"");
        }
        if (v < min || v > max) {
            throw error(name + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /** Argument {@code i}, which must be one of {@code choices}. */
    String choice(int i, String name, String... choices) throws UsageException {
        for (String c : choices) {
            if (c.equals(values[i])) {
                return c;
            }
        }
        throw error(name + " must be one of " + String.join(", ", choices) + ", got \"" + values[i] + "\"");
    }

    /** A usage error about this subcommand: the problem, then the expected shape, on one line. */
    UsageException error(String problem) {
        return new UsageException("bench " + command + ": " + problem + " (usage: bench " + command + " " + synopsis
                + ")");
    }
}
