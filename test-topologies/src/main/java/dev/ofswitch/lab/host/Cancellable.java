package dev.ofswitch.lab.host;

/** A scheduled task that can be called off. */
@FunctionalInterface
public interface Cancellable {
    /**
     * Cancels the task if it has not run yet. Cancelling twice, or after the task ran, does nothing.
     *
     * @return true if this call prevented the task from running
     */
    boolean cancel();
}
