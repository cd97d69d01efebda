/**
 * {@code bin/bench}: conntrack benchmarks with the argument shapes and output lines of OVS's {@code ovstest}, so that
 * this engine and OVS's can be measured side by side, plus the JMH runner. Each command runs on the main thread and
 * worker threads it starts; nothing here is used by the switch.
 */
package dev.ofswitch.bench;
