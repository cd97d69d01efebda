package dev.ofswitch.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.lab.topo.Topologies;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabSmokeTest {
    @Test
    void single3_pingAllWithTheEmbeddedController() throws Exception {
        try (Lab lab = Lab.start(Topologies.parseSpec("single,3", false), new Lab.Options().unixctl(false))) {
            assertTrue(lab.awaitConnected(Duration.ofSeconds(20)));
            Lab.PingAll r = lab.pingAll(List.of("h1", "h2", "h3"), 2000);
            assertEquals(6, r.received(), r.toString());
        }
    }

    @Test
    void linear4_pingAll_andLinkDownBreaksIt() throws Exception {
        try (Lab lab = Lab.start(Topologies.parseSpec("linear,4", false), new Lab.Options().unixctl(false))) {
            assertTrue(lab.awaitConnected(Duration.ofSeconds(20)));
            List<String> hosts = List.of("h1", "h2", "h3", "h4");
            assertEquals(12, lab.pingAll(hosts, 2000).received());
            lab.setLink("s2", "s3", false);
            Lab.PingAll down = lab.pingAll(hosts, 1000);
            assertEquals(4, down.received(), down.toString());   // h1<->h2 and h3<->h4 only
            lab.setLink("s2", "s3", true);
            assertEquals(12, lab.pingAll(hosts, 2000).received());
        }
    }
}
