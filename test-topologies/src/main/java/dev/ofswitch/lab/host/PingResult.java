package dev.ofswitch.lab.host;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one {@link EmulatedHost#ping ping} session, with the statistics and the text of iputils'
 * {@code ping} (the Linux one Mininet users read).
 *
 * <p>Statistics are computed exactly as iputils' {@code finish()} in {@code ping/ping_common.c} does, in integer
 * microseconds: {@code avg = tsum / n}, {@code mdev = llsqrt((tsum2 - tsum * tsum / n) / n)} with
 * {@code n = received + duplicates}, truncating at each step; the loss is
 * {@code (float) ((transmitted - received) * 100.0 / transmitted)} printed with {@code %g}; {@code time} is the
 * time from the start to the last transmission, rounded to the millisecond. {@link #format()} prints:
 *
 * <pre>
 * PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.
 * 64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.123 ms
 * 64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.098 ms
 *
 * --- 10.0.0.2 ping statistics ---
 * 2 packets transmitted, 2 received, 0% packet loss, time 1001ms
 * rtt min/avg/max/mdev = 0.098/0.110/0.123/0.012 ms
 * </pre>
 *
 * Differences from iputils: no name lookups (the address is printed where a name would be), and the last line is
 * omitted when it would be empty (iputils prints an empty line when no reply came).
 */
public final class PingResult {
    /** What became of one echo request. */
    public enum Outcome {
        /** A reply came within the timeout. */
        REPLIED,
        /** No reply within the timeout. */
        LOST,
        /** An ICMP error (or a local ARP failure) reported the request undeliverable. */
        ERROR
    }

    /**
     * One echo request.
     *
     * @param seq       its {@code icmp_seq}, from 1
     * @param outcome   what became of it
     * @param rttNanos  the round-trip time of the first reply, or -1
     * @param ttl       the reply's TTL, or -1
     * @param error     the error text ("Destination Host Unreachable"), or null
     */
    public record Probe(int seq, Outcome outcome, long rttNanos, int ttl, String error) {
    }

    private final Inet4Address destination;
    private final int payloadSize;
    private final List<Probe> probes;
    private final List<String> lines;
    private final long transmitted;
    private final long received;
    private final long duplicates;
    private final long corrupted;
    private final long errors;
    private final long elapsedMicros;
    private final int pipe;
    private final long tminMicros;
    private final long tmaxMicros;
    private final long tsumMicros;
    private final long tsum2Micros;

    PingResult(Inet4Address destination, int payloadSize, List<Probe> probes, List<String> lines, long transmitted,
            long received, long duplicates, long corrupted, long errors, long elapsedMicros, int pipe,
            long tminMicros, long tmaxMicros, long tsumMicros, long tsum2Micros) {
        this.destination = destination;
        this.payloadSize = payloadSize;
        this.probes = List.copyOf(probes);
        this.lines = List.copyOf(lines);
        this.transmitted = transmitted;
        this.received = received;
        this.duplicates = duplicates;
        this.corrupted = corrupted;
        this.errors = errors;
        this.elapsedMicros = elapsedMicros;
        this.pipe = pipe;
        this.tminMicros = tminMicros;
        this.tmaxMicros = tmaxMicros;
        this.tsumMicros = tsumMicros;
        this.tsum2Micros = tsum2Micros;
    }

    public Inet4Address destination() {
        return destination;
    }

    /** ICMP data bytes per request ({@code -s}). */
    public int payloadSize() {
        return payloadSize;
    }

    /** Every request, in sequence order. */
    public List<Probe> probes() {
        return probes;
    }

    public long transmitted() {
        return transmitted;
    }

    public long received() {
        return received;
    }

    public long duplicates() {
        return duplicates;
    }

    /** Replies with a bad ICMP checksum. */
    public long corrupted() {
        return corrupted;
    }

    public long errors() {
        return errors;
    }

    /** The loss as iputils computes it, a {@code float} percentage. */
    public float lossPercent() {
        return transmitted == 0 ? 0f : (float) (((transmitted - received) * 100.0) / transmitted);
    }

    /** Time from the start to the last transmission, in microseconds. */
    public long elapsedMicros() {
        return elapsedMicros;
    }

    /** The most requests in flight at once, iputils' {@code pipe}. */
    public int pipe() {
        return pipe;
    }

    /** Minimum RTT in microseconds, or -1 without replies. */
    public long minMicros() {
        return received == 0 ? -1 : tminMicros;
    }

    /** Maximum RTT in microseconds, or -1 without replies. */
    public long maxMicros() {
        return received == 0 ? -1 : tmaxMicros;
    }

    /** Average RTT in whole microseconds (iputils truncates), or -1 without replies. */
    public long avgMicros() {
        long n = received + duplicates;
        return received == 0 ? -1 : tsumMicros / n;
    }

    /** The mean deviation iputils prints, in whole microseconds, or -1 without replies. */
    public long mdevMicros() {
        if (received == 0) {
            return -1;
        }
        long n = received + duplicates;
        long var;
        if (tsumMicros < Integer.MAX_VALUE) {
            var = (tsum2Micros - ((tsumMicros * tsumMicros) / n)) / n;
        } else {
            long avg = tsumMicros / n;
            var = (tsum2Micros / n) - avg * avg;
        }
        return llsqrt(var);
    }

    /** The per-packet lines ("64 bytes from ...", "From ... Destination Host Unreachable") in arrival order. */
    public List<String> replyLines() {
        return lines;
    }

    /** The whole output of {@code ping -c N}, as lines. */
    public List<String> formatLines() {
        String dst = destination.getHostAddress();
        List<String> out = new ArrayList<>();
        out.add("PING " + dst + " (" + dst + ") " + payloadSize + "(" + (payloadSize + 28) + ") bytes of data.");
        out.addAll(lines);
        out.add("");
        out.add("--- " + dst + " ping statistics ---");
        StringBuilder sb = new StringBuilder();
        sb.append(transmitted).append(" packets transmitted, ").append(received).append(" received");
        if (duplicates > 0) {
            sb.append(", +").append(duplicates).append(" duplicates");
        }
        if (corrupted > 0) {
            sb.append(", +").append(corrupted).append(" corrupted");
        }
        if (errors > 0) {
            sb.append(", +").append(errors).append(" errors");
        }
        if (transmitted > 0) {
            sb.append(", ").append(formatG(lossPercent())).append("% packet loss");
            sb.append(", time ").append((elapsedMicros + 500) / 1000).append("ms");
        }
        out.add(sb.toString());
        StringBuilder last = new StringBuilder();
        String comma = "";
        if (received > 0) {
            last.append("rtt min/avg/max/mdev = ").append(ms3(minMicros())).append('/').append(ms3(avgMicros()))
                    .append('/').append(ms3(maxMicros())).append('/').append(ms3(mdevMicros())).append(" ms");
            comma = ", ";
        }
        if (pipe > 1) {
            last.append(comma).append("pipe ").append(pipe);
        }
        if (last.length() > 0) {
            out.add(last.toString());
        }
        return out;
    }

    /** {@link #formatLines()} joined with newlines. */
    public String format() {
        return String.join("\n", formatLines());
    }

    @Override
    public String toString() {
        return format();
    }

    /** iputils' per-reply time: 3 decimals under 1 ms, 2 under 10, 1 under 100, none above, rounded as it does. */
    static String formatReplyTime(long triptimeMicros) {
        long t = triptimeMicros;
        if (t >= 100000 - 50) {
            return ((t + 500) / 1000) + " ms";
        } else if (t >= 10000 - 5) {
            return ((t + 50) / 1000) + "." + (((t + 50) % 1000) / 100) + " ms";
        } else if (t >= 1000) {
            long r = (t + 5) % 1000 / 10;
            return ((t + 5) / 1000) + "." + (r < 10 ? "0" : "") + r + " ms";
        }
        return (t / 1000) + "." + pad3(t % 1000) + " ms";
    }

    private static String ms3(long micros) {
        return (micros / 1000) + "." + pad3(micros % 1000);
    }

    private static String pad3(long v) {
        return v < 10 ? "00" + v : v < 100 ? "0" + v : Long.toString(v);
    }

    /** C's {@code printf("%g", (double) f)} for the range a percentage takes. */
    static String formatG(float f) {
        if (f == 0f) {
            return "0";
        }
        BigDecimal d = new BigDecimal((double) f).round(new MathContext(6, RoundingMode.HALF_EVEN));
        return d.stripTrailingZeros().toPlainString();
    }

    /** iputils' integer square root (Newton's method, truncating). */
    static long llsqrt(long a) {
        long prev = Long.MAX_VALUE;
        long x = a;
        if (x > 0) {
            while (x < prev) {
                prev = x;
                x = (x + (a / x)) / 2;
            }
        }
        return x;
    }
}
