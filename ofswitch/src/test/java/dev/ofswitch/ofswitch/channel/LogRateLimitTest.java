package dev.ofswitch.ofswitch.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ofswitch.conntrack.time.ControllableClock;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;

/** Warnings a peer can trigger: a burst of 5, then 5 a minute, the dropped ones counted (OVS VLOG_WARN_RL). */
class LogRateLimitTest {
    @ParameterizedTest(name = "clock starts at {0}")
    @ValueSource(longs = {0L, Long.MIN_VALUE, Long.MAX_VALUE - 30_000_000_000L})
    void burstThenFivePerMinute_droppedOnesCounted(long start) {
        ControllableClock clock = ControllableClock.manual(start);
        List<String> logged = new ArrayList<>();
        Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, args) -> {
                if (method.getName().equals("warn")) {
                    logged.add((String) args[0]);
                }
                return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });
        LogRateLimit rl = new LogRateLimit(clock);
        for (int i = 0; i < 8; i++) {
            rl.warn(log, "peer {} misbehaved", i);
        }
        assertEquals(5, logged.size(), "the burst");
        clock.advanceNanos(11_999_000_000L);
        rl.warn(log, "peer {} misbehaved", 8);
        assertEquals(5, logged.size(), "no token yet: 12 s per message");
        clock.advanceNanos(1_000_000L);
        rl.warn(log, "peer {} misbehaved", 9);
        assertEquals(List.of("peer {} misbehaved (4 similar messages suppressed)"), logged.subList(5, 6));
    }
}
