/**
 * Byte-level helpers for rewriting packets the way OVS does: internet checksums, full and incremental
 * ({@code lib/csum.c}). Stateless; any thread.
 */
package dev.ofswitch.conntrack.packet;
