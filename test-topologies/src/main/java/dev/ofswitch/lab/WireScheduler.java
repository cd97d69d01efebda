package dev.ofswitch.lab;

import dev.ofswitch.lab.host.Cancellable;
import dev.ofswitch.lab.host.HostScheduler;
import java.util.concurrent.ScheduledFuture;

/** The lab's {@link Wire} as the scheduler of a host's network stack. */
final class WireScheduler implements HostScheduler {
    private final Wire wire;

    WireScheduler(Wire wire) {
        this.wire = wire;
    }

    @Override
    public long nanoTime() {
        return wire.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        ScheduledFuture<?> f = wire.schedule(delayNanos, task);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        wire.execute(task);
    }
}
