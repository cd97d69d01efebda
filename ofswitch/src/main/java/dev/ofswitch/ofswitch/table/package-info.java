/**
 * Flow classification: {@link dev.ofswitch.ofswitch.table.Classifier}, a tuple-space-search classifier after OVS's
 * {@code lib/classifier.c}, and {@link dev.ofswitch.ofswitch.table.LinearClassifier}, its linear-scan reference.
 * Lookups run on any datapath thread without locks or allocation; every other method runs on the switch's control
 * thread (one writer).
 */
package dev.ofswitch.ofswitch.table;
