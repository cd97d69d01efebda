package dev.ofswitch.conntrack.time;

/** Real monotonic time, {@link System#nanoTime()}. Stateless. */
final class SystemClock extends SwitchClock {
    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleepUntil(long deadlineNanos, Object waiter) throws InterruptedException {
        long waitNanos = deadlineNanos - System.nanoTime();
        if (waitNanos <= 0) {
            return;
        }
        synchronized (waiter) {
            long millis = waitNanos / 1_000_000L;
            int nanos = (int) (waitNanos % 1_000_000L);
            waiter.wait(millis, nanos);
        }
    }
}
