/**
 * The switch's one clock: every timestamp, expiry and timeout in the project reads it. Any thread may read it; a
 * {@link dev.ofswitch.conntrack.time.ControllableClock} can be frozen and warped (ovs-appctl {@code time/stop},
 * {@code time/warp}) and wakes the threads that sleep on it, so tests never sleep: they advance the clock.
 */
package dev.ofswitch.conntrack.time;
