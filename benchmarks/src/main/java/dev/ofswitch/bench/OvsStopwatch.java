package dev.ofswitch.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A replica of OVS's {@code lib/stopwatch.c} statistics, so that {@code bench test-conntrack benchmark-zones} prints
 * the same numbers {@code ovstest} would for the same samples: min, max, a "95th percentile" and an "average".
 *
 * <h2>What OVS computes (and what it does not)</h2> Neither reported statistic is what its name says, and this class
 * reproduces both faithfully, quirks included, because the point is a side-by-side comparison. It adds the true
 * arithmetic {@link #mean()} alongside.
 * <ul>
 * <li><b>"Avg"</b> is {@code ewma_1}: an exponentially weighted moving average with weight 0.01 on the new sample,
 * seeded with the first sample. After 100 samples the first one still weighs 0.99<sup>99</sup> = 37 %.
 * <li><b>"95%ile"</b> comes from {@code calc_percentile()}, meant as Jain and Chlamtac's P² estimator, as OVS runs it:
 * <ol>
 * <li>It is called with the sample count <em>before</em> the new sample is counted, so sample #0 is written one slot
 * before both arrays (into neighbouring fields that are overwritten when sample #5 initialises the markers): the first
 * sample never reaches the estimator.
 * <li>For samples #1..#5 the percentile is {@code q[(int) P * n]}, and {@code (int) P} is 0: the largest of the
 * samples so far (excluding #0), since the comparator {@code (int) *right - *left} sorts the markers in
 * <em>descending</em> order.
 * <li>From sample #6 on, the P² marker update runs on those descending markers (so it does not estimate a percentile).
 * Until 50 samples, the reported value is instead {@code samples[(int) (0.95 * n)]} after a {@code qsort()} of the
 * raw {@code unsigned long long} samples with a comparator that reads them as {@code double}s: microsecond counts are
 * subnormal numbers there, the comparator returns 0 for every pair, and glibc's stable merge sort leaves them in
 * arrival order. The value is therefore the sample that arrived about 5 % of the run before the latest one, e.g.
 * the 10th of 10.
 * <li>From 50 samples on, it is the middle marker {@code q[2]} of the descending-marker P² update.
 * </ol>
 * </ul>
 * Floating-point operations follow OVS's order exactly, so results are bit-identical (x86-64 without FMA contraction,
 * which is how the anchor binary was built). The reference check was a transcription of {@code add_sample()} compiled
 * with gcc and fed the same random sequences (not kept in the repository).
 *
 * <h2>Thread-safety</h2> None: one thread records and reads. OVS hands samples to a stopwatch thread; the arithmetic
 * is the same.
 */
final class OvsStopwatch {
    private static final double P = 0.95;
    private static final int MARKERS = 5;
    private static final int P_SQUARE_MIN = 50;

    private long nSamples;
    private long max;
    private long min;
    // P² state, named as in the paper and in OVS.
    private final int[] n = new int[MARKERS];
    private final double[] nPrime = new double[MARKERS];
    private final double[] q = new double[MARKERS];
    private final double[] dn = new double[MARKERS];
    private final long[] samples = new long[P_SQUARE_MIN];
    private double percentile;
    /** {@code long_term}: alpha 0.01. */
    private double ewma1;
    private double sum;

    private long startMicros;
    private boolean inProgress;

    /** {@code stopwatch_start(name, time_usec())}. */
    void start(long nowMicros) {
        if (!inProgress) {
            startMicros = nowMicros;
            inProgress = true;
        }
    }

    /** {@code stopwatch_stop(name, time_usec())}. */
    void stop(long nowMicros) {
        if (inProgress) {
            add(nowMicros - startMicros);
            inProgress = false;
        }
    }

    /** {@code add_sample()}. */
    void add(long sample) {
        if (sample > max) {
            max = sample;
        }
        if (sample < min || nSamples == 0) {
            min = sample;
        }
        sum += sample;
        calcPercentile(nSamples, sample);
        if (nSamples++ == 0) {
            ewma1 = sample;
            return;
        }
        ewma1 = sample * 0.01 + (1 - 0.01) * ewma1;
    }

    /** {@code calc_percentile()}; {@code count} is the number of samples before this one. */
    private void calcPercentile(long count, long sample) {
        if (count == 0) {
            // OVS writes samples[-1] and q[-1]: fields that count == MARKERS overwrites before anything reads them.
            percentile = q[0];
            return;
        }
        if (count < P_SQUARE_MIN) {
            samples[(int) count - 1] = sample;
        }
        if (count <= MARKERS) {
            q[(int) count - 1] = sample;
            sortDescending(q, (int) count);
            if (count == MARKERS) {
                for (int i = 0; i < MARKERS; i++) {
                    n[i] = i;
                }
                nPrime[0] = 0;
                nPrime[1] = 2 * P;
                nPrime[2] = 4 * P;
                nPrime[3] = 2 + 2 * P;
                nPrime[4] = 4;
                dn[0] = 0;
                dn[1] = P / 2;
                dn[2] = P;
                dn[3] = (1 + P) / 2;
                dn[4] = 1;
            }
            percentile = q[0];      // q[(int) P * n_samples]
            return;
        }

        int k;
        double s = sample;
        if (s < q[0]) {
            k = 0;
            q[0] = s;
        } else if (s < q[1]) {
            k = 0;
        } else if (s < q[2]) {
            k = 1;
        } else if (s < q[3]) {
            k = 2;
        } else if (s <= q[4]) {
            k = 3;
        } else {
            k = 3;
            q[4] = s;
        }
        for (int i = k + 1; i < MARKERS; i++) {
            n[i]++;
        }
        for (int i = 0; i < MARKERS; i++) {
            nPrime[i] += dn[i];
        }
        for (int i = 1; i < MARKERS - 1; i++) {
            double d = nPrime[i] - n[i];
            if ((d >= 1 && n[i + 1] - n[i] > 1) || (d <= -1 && n[i - 1] - n[i] < -1)) {
                d = d >= 0 ? 1 : -1;
                double a = d / (n[i + 1] - n[i - 1]);
                double b = (n[i] - n[i - 1] + d) * (q[i + 1] - q[i]) / (n[i + 1] - n[i]);
                double c = (n[i + 1] - n[i] - d) * (q[i] - q[i - 1]) / (n[i] - n[i - 1]);
                double candidate = q[i] + a * (b + c);
                if (q[i - 1] < candidate && candidate < q[i + 1]) {
                    q[i] = candidate;
                } else {
                    q[i] = q[i] + (d * (q[i + (int) d] - q[i]) / (n[i + (int) d] - n[i]));
                }
                n[i] += d;
            }
        }
        if (count < P_SQUARE_MIN) {
            // qsort() leaves the samples in arrival order (see the class comment).
            percentile = samples[(int) (P * count)];
        } else {
            percentile = q[2];
        }
    }

    /** qsort() with OVS's {@code comp_samples} on integral doubles: descending order. */
    private static void sortDescending(double[] a, int len) {
        for (int i = 1; i < len; i++) {
            double v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] < v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    long count() {
        return nSamples;
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }

    /** What ovstest prints as "95%ile". */
    double pctl95() {
        return percentile;
    }

    /** What ovstest prints as "Avg": {@code ewma_1}. */
    double ewma1() {
        return ewma1;
    }

    /** The arithmetic mean of the samples (not printed by ovstest). */
    double mean() {
        return nSamples == 0 ? 0 : sum / nSamples;
    }

    /**
     * {@code printf("%W.2f", v)} as glibc prints it: the exact binary value rounded half-to-even, which
     * {@link String#format} (half-up on the shortest decimal) does not always match.
     */
    static String fixed2(double v, int width) {
        String s = new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
