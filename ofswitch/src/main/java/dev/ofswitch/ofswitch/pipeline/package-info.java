/**
 * The OpenFlow pipeline: flows compiled into action programs at install time, and their execution on packets by
 * datapath threads (flow extraction, table lookups, instructions, actions, groups, resubmit, packet-in). Per-thread
 * scratch keeps established traffic allocation-free.
 */
package dev.ofswitch.ofswitch.pipeline;
