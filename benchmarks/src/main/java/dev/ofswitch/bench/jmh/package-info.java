/**
 * JMH benchmarks of the conntrack hot paths, one path per class, each naming the {@code ovstest} workload it mirrors
 * and the command that runs it. JMH's own threads run them; {@code bin/bench jmh} is the runner.
 */
package dev.ofswitch.bench.jmh;
