package dev.ofswitch.conntrack;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A conntrack timeout policy: seconds per {@link TimeoutKey}, as {@code ovs-vsctl add-zone-tp} sets them. Keys that
 * are not given keep OVS's default. Immutable.
 *
 * <p>A policy set for a zone applies to the connections of that zone created from then on; a connection keeps the
 * policy it was created with for its whole life, as in OVS (the policy id is bound to the {@code conn} at commit).
 */
public final class TimeoutPolicy {
    private static final TimeoutPolicy DEFAULTS = new TimeoutPolicy(new EnumMap<>(TimeoutKey.class));

    private final EnumMap<TimeoutKey, Integer> overrides;

    private TimeoutPolicy(EnumMap<TimeoutKey, Integer> overrides) {
        this.overrides = overrides;
    }

    /** OVS's defaults for every key. */
    public static TimeoutPolicy defaults() {
        return DEFAULTS;
    }

    /** Returns a copy of this policy with {@code key} set to {@code seconds} (0 .. 2^31-1). */
    public TimeoutPolicy with(TimeoutKey key, int seconds) {
        Objects.requireNonNull(key, "key");
        if (seconds < 0) {
            throw new IllegalArgumentException(key.ovsName() + ": timeout must not be negative: " + seconds);
        }
        EnumMap<TimeoutKey, Integer> copy = new EnumMap<>(TimeoutKey.class);
        copy.putAll(overrides);
        copy.put(key, seconds);
        return new TimeoutPolicy(copy);
    }

    /** The timeout of {@code key} in seconds. */
    public int seconds(TimeoutKey key) {
        Integer v = overrides.get(key);
        return v != null ? v : key.defaultSeconds();
    }

    /** The keys that differ from the defaults, with their values. */
    public Map<TimeoutKey, Integer> overrides() {
        return new EnumMap<>(overrides);
    }

    /**
     * Parses {@code KEY=SECONDS} words separated by spaces or commas ({@code udp_first=2 tcp_syn_sent=3}), the syntax
     * of {@code ovs-vsctl add-zone-tp} and of the oracle's {@code zone-tp.txt} (without its {@code zone=} word).
     *
     * @throws IllegalArgumentException naming the bad word
     */
    public static TimeoutPolicy parse(String text) {
        TimeoutPolicy p = DEFAULTS;
        for (String word : text.trim().split("[\\s,]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("timeout policy: expected KEY=SECONDS, got \"" + word + "\"");
            }
            TimeoutKey key = TimeoutKey.byOvsName(word.substring(0, eq));
            if (key == null) {
                throw new IllegalArgumentException("timeout policy: unknown key \"" + word.substring(0, eq) + "\"");
            }
            int seconds;
            try {
                seconds = Integer.parseInt(word.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "timeout policy: " + key.ovsName() + ": not a number of seconds: \"" + word.substring(eq + 1)
                                + "\"");
            }
            p = p.with(key, seconds);
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeoutPolicy && ((TimeoutPolicy) o).overrides.equals(overrides);
    }

    @Override
    public int hashCode() {
        return overrides.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (TimeoutKey k : TimeoutKey.values()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(k.ovsName()).append('=').append(seconds(k));
        }
        return sb.toString();
    }
}
