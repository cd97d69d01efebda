package dev.ofswitch.lab.cli;

import dev.ofswitch.lab.Lab;
import dev.ofswitch.lab.host.EmulatedHost;
import dev.ofswitch.lab.host.Iperf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/** Lab operations the CLI and the demo share. Stateless. */
final class LabOps {
    private LabOps() {
    }

    /** A host name or a dotted IPv4 address. */
    static InetAddress address(Lab lab, String hostOrIp) {
        String ip = lab.hosts().containsKey(hostOrIp) ? lab.host(hostOrIp).config().ipv4().getHostAddress()
                : hostOrIp;
        if (!ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("unknown host or IPv4 address \"" + hostOrIp + "\"");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad IPv4 address \"" + hostOrIp + "\"", e);
        }
    }

    /** Mininet's {@code net.iperf([client, server])} over TCP, or UDP at {@code rate}, for {@code durationMs}. */
    static Iperf.Result iperf(Lab lab, String client, String server, boolean udp, long rate, long durationMs,
                              String bw) {
        EmulatedHost c = lab.host(client);
        EmulatedHost s = lab.host(server);
        var f = udp ? Iperf.udp(c, s, 5001, rate, durationMs) : Iperf.tcp(c, s, 5001, durationMs);
        return f.orTimeout(durationMs + 30_000, TimeUnit.MILLISECONDS).join();
    }
}
