package dev.ofswitch.lab.host;

import dev.ofswitch.lab.host.wire.Addresses;
import java.net.Inet4Address;

/** Host configurations the way Mininet numbers them: {@code hN} has MAC {@code 00:00:00:00:00:0N}, IP 10.0.0.N/8. */
final class TestHosts {
    private TestHosts() {
    }

    static HostConfig.Builder builder(int n) {
        return HostConfig.builder("h" + n).mac(n).ipv4("10.0.0." + n, 8).seed(1000 + n);
    }

    static HostConfig config(int n) {
        return builder(n).build();
    }

    static Inet4Address ip(int n) {
        return Addresses.inet4("10.0.0." + n);
    }
}
