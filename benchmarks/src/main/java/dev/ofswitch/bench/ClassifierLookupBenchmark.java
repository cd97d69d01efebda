package dev.ofswitch.bench;

import dev.ofswitch.ofswitch.table.Classifier;
import dev.ofswitch.ofswitch.table.Rule;
import dev.ofswitch.ofswitch.table.TieBreak;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classifier lookup, one lookup per operation, on the workload of OVS's {@code ovstest test-classifier benchmark}
 * ({@link ClassifierWorkload}; {@link ClassifierBench} is the ovstest-style driver). Each invocation looks up the next
 * of the 8 192 lookup flows in the order OVS's {@code lookup_classifier()} draws them.
 *
 * <pre>
 * bin/bench jmh ClassifierLookupBenchmark -prof gc
 * </pre>
 *
 * <p>{@code gc.alloc.rate.norm} should be about 0 B/op for every parameter combination.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassifierLookupBenchmark {
    /** {@code ovs}: OVS's rules (one subtable, exact on 13 fields); {@code masked}: 30 wildcard patterns applied. */
    @Param({"ovs", "masked"})
    public String workload;

    @Param({"1", "10"})
    public int priorities;

    /** The classifier's {@link TieBreak}; it matters only for {@code masked}. */
    @Param({"EARLIEST_INSTALLED", "SUBTABLE_ORDER"})
    public TieBreak ties;

    private Classifier<Integer> classifier;
    private long[][] flows;
    private int[] order;
    private int next;
    private final long[] wildcards = new long[ClassifierWorkload.KEY_WORDS];

    @Setup(Level.Trial)
    public void setUp() {
        ClassifierWorkload.Mode mode = workload.equals("ovs") ? ClassifierWorkload.Mode.OVS
                : ClassifierWorkload.Mode.MASKED;
        ClassifierWorkload w = new ClassifierWorkload(1000, priorities, 30, mode, ties);
        classifier = w.classifier;
        flows = w.lookupFlows;
        order = new int[1 << 16];
        ClassifierWorkload.OvsRandom rnd = new ClassifierWorkload.OvsRandom(1);
        for (int i = 0; i < order.length; i++) {
            order[i] = rnd.range(flows.length);
        }
    }

    private long[] nextFlow() {
        int i = next;
        next = (i + 1) & (order.length - 1);
        return flows[order[i]];
    }

    /** {@code classifier_lookup(cls, version, flow, NULL)}. */
    @Benchmark
    public Rule<Integer> lookup() {
        return classifier.lookup(nextFlow());
    }

    /** {@code classifier_lookup(cls, version, flow, &wc)} after {@code flow_wildcards_init_catchall(&wc)}. */
    @Benchmark
    public Rule<Integer> lookupWithWildcards() {
        Arrays.fill(wildcards, 0L);
        return classifier.lookup(nextFlow(), wildcards);
    }
}
