package dev.ofswitch.lab.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ofswitch.ofswitch.OfSwitch;
import dev.ofswitch.ofswitch.SwitchConfig;
import dev.ofswitch.ofswitch.SwitchRuntime;
import dev.ofswitch.ofswitch.table.FlowEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The embedded controller against real switches of ours: handshake, the firewall's flows accepted without a single
 * OFPT_ERROR, and every switch ready.
 */
class EmbeddedControllerTest {
    private static final long H1 = 0x0a000001L;

    @Test
    void firewallFlowsAreAcceptedByEverySwitch() throws Exception {
        try (SwitchRuntime rt = SwitchRuntime.shared(1, 1)) {
            FirewallApp app = new FirewallApp(List.of(new FirewallApp.Tenant(1, 0x0a000000L, 8),
                    new FirewallApp.Tenant(2, 0x0b000000L, 8)), List.of(H1));
            try (EmbeddedController c = new EmbeddedController(rt.io(), app)) {
                int port = c.start("127.0.0.1", 0);
                List<OfSwitch> switches = new ArrayList<>();
                try {
                    for (int i = 1; i <= 3; i++) {
                        OfSwitch s = new OfSwitch(SwitchConfig.defaults().dpid(i).name("s" + i).ports(2)
                                .runtime(rt).conntrackBuckets(16).controller("tcp:127.0.0.1:" + port));
                        s.start();
                        switches.add(s);
                    }
                    assertTrue(c.awaitReady(Set.of(1L, 2L, 3L), Duration.ofSeconds(20)), "switches not ready");
                    assertEquals(0, c.errors());
                    for (OfSwitch s : switches) {
                        List<FlowEntry> flows = s.flowTables().all();
                        // Table 0: arp, 2 tenants, miss. Table 1: inv, est, rel, 2 x (icmp to inside, commit), 1 block.
                        assertEquals(12, flows.size(), flows.toString());
                    }
                } finally {
                    for (OfSwitch s : switches) {
                        s.close();
                    }
                }
            }
        }
    }
}
