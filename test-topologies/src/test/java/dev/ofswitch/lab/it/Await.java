package dev.ofswitch.lab.it;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.ofswitch.table.FlowEntry;
import java.time.Duration;
import java.util.List;

/** Waiting for a lab's switches to reach a state a controller puts them in. */
final class Await {
    private Await() {
    }

    /**
     * Waits until every switch of the lab has at least {@code n} flows (a controller's table-miss or pipeline flows
     * are in, so its handshake with that switch is over); false on timeout.
     */
    static boolean flows(Lab lab, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String sw : lab.switches().keySet()) {
            while (flows(lab, sw).size() < n) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.sleep(20);
            }
        }
        return true;
    }

    static List<FlowEntry> flows(Lab lab, String sw) {
        return lab.switchNode(sw).flowTables().all();
    }
}
