package dev.ofswitch.ofswitch;

import dev.ofswitch.conntrack.ConnTracker;

import dev.ofswitch.conntrack.time.SwitchClock;
import dev.ofswitch.ofswitch.channel.OfVersion;
import dev.ofswitch.ofswitch.channel.Target;
import dev.ofswitch.ofswitch.channel.TlsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to build an {@link OfSwitch}. Plain settings with OVS's defaults; {@link OfSwitch} validates them.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>dpid</td><td>1</td><td>datapath id</td></tr>
 * <tr><td>name</td><td>br0</td><td>bridge name (the LOCAL port's name)</td></tr>
 * <tr><td>ports</td><td>p1..p4</td><td>ports 1..N named p1..pN</td></tr>
 * <tr><td>listeners</td><td>none</td><td>passive targets, {@code ptcp:PORT[:IP]}, {@code pssl:PORT[:IP]}
 * (without IP: 127.0.0.1), {@code punix:PATH} (owner only)</td></tr>
 * <tr><td>controllers</td><td>none</td><td>active targets, {@code tcp:IP[:PORT]}, {@code ssl:IP[:PORT]}</td></tr>
 * <tr><td>tls</td><td>none</td><td>private key, certificate and CA certificate for ssl/pssl targets</td></tr>
 * <tr><td>versions</td><td>1.0, 1.3, 1.4, 1.5</td><td>OpenFlow versions offered in HELLO</td></tr>
 * <tr><td>failMode</td><td>secure</td><td>what happens without a controller (standalone: NORMAL switching; see
 * {@link FailOpen})</td></tr>
 * <tr><td>probeIntervalMillis</td><td>5000</td><td>inactivity probe on controller connections (0: none); OVS's
 * minimum is 5 s, shorter ones are allowed here for tests</td></tr>
 * <tr><td>passiveProbeIntervalMillis</td><td>5000</td><td>the same on accepted TCP and TLS connections (unix-socket
 * peers are not probed, as in OVS)</td></tr>
 * <tr><td>maxBackoffMillis</td><td>8000</td><td>longest wait between reconnection attempts (OVS
 * max_backoff)</td></tr>
 * <tr><td>pcapDir</td><td>none</td><td>write {@code pN-tx.pcap} (and with pcapRx {@code pN-rx.pcap}) there</td></tr>
 * <tr><td>unixctlPath</td><td>none</td><td>the ovs-appctl socket</td></tr>
 * <tr><td>descProfile</td><td>ofswitch</td><td>{@code ovs} makes DESC report Open vSwitch 3.1.0 (ONOS picks its Nicira
 * driver)</td></tr>
 * <tr><td>datapathThreads</td><td>1</td><td>worker threads running the pipeline</td></tr>
 * </table>
 */
public final class SwitchConfig {
    /** What happens to packets when no controller is connected. */
    public enum FailMode {
        SECURE, STANDALONE
    }

    /** One port: OpenFlow number and name. */
    public record PortSpec(int number, String name) {
    }

    long dpid = 1;
    String name = "br0";
    List<PortSpec> ports = new ArrayList<>(List.of(new PortSpec(1, "p1"), new PortSpec(2, "p2"),
            new PortSpec(3, "p3"), new PortSpec(4, "p4")));
    final List<Target> listeners = new ArrayList<>();
    final List<Target> controllers = new ArrayList<>();
    int versions = OfVersion.SUPPORTED;
    FailMode failMode = FailMode.SECURE;
    long probeIntervalMillis = 5000;
    long passiveProbeIntervalMillis = 5000;
    long maxBackoffMillis = 8000;
    TlsSettings tls;
    Path pcapDir;
    boolean pcapRx;
    Path unixctlPath;
    String descProfile = "ofswitch";
    int datapathThreads = 1;
    SwitchClock clock;
    SwitchRuntime runtime;
    int conntrackBuckets = ConnTracker.DEFAULT_BUCKETS;

    public static SwitchConfig defaults() {
        return new SwitchConfig();
    }

    public SwitchConfig dpid(long dpid) {
        this.dpid = dpid;
        return this;
    }

    public SwitchConfig name(String name) {
        this.name = Objects.requireNonNull(name);
        return this;
    }

    /** Ports 1..n named p1..pn. */
    public SwitchConfig ports(int n) {
        List<PortSpec> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            l.add(new PortSpec(i, "p" + i));
        }
        this.ports = l;
        return this;
    }

    public SwitchConfig ports(List<PortSpec> ports) {
        this.ports = new ArrayList<>(ports);
        return this;
    }

    public SwitchConfig listen(String target) {
        Target t = Target.parse(target);
        if (!t.isPassive()) {
            throw new IllegalArgumentException("\"" + target + "\" is not a passive target (ptcp:, pssl: or punix:)");
        }
        listeners.add(t);
        return this;
    }

    public SwitchConfig controller(String target) {
        Target t = Target.parse(target);
        if (t.isPassive()) {
            throw new IllegalArgumentException("\"" + target + "\" is not an active target (tcp:IP[:PORT] or "
                    + "ssl:IP[:PORT])");
        }
        controllers.add(t);
        return this;
    }

    public SwitchConfig versions(int bitmap) {
        this.versions = bitmap;
        return this;
    }

    public SwitchConfig failMode(FailMode mode) {
        this.failMode = mode;
        return this;
    }

    public SwitchConfig probeIntervalMillis(long ms) {
        this.probeIntervalMillis = ms;
        return this;
    }

    public SwitchConfig passiveProbeIntervalMillis(long ms) {
        this.passiveProbeIntervalMillis = ms;
        return this;
    }

    public SwitchConfig maxBackoffMillis(long ms) {
        if (ms < 1000) {
            throw new IllegalArgumentException("max backoff must be at least 1000 ms: " + ms);
        }
        this.maxBackoffMillis = ms;
        return this;
    }

    /** Key, certificate and CA certificate for {@code ssl:} and {@code pssl:} targets. */
    public SwitchConfig tls(TlsSettings tls) {
        this.tls = tls;
        return this;
    }

    public SwitchConfig pcapDir(Path dir, boolean alsoRx) {
        this.pcapDir = dir;
        this.pcapRx = alsoRx;
        return this;
    }

    public SwitchConfig unixctl(Path path) {
        this.unixctlPath = path;
        return this;
    }

    public SwitchConfig descProfile(String profile) {
        if (!profile.equals("ofswitch") && !profile.equals("ovs")) {
            throw new IllegalArgumentException("unknown description profile \"" + profile + "\" (ofswitch, ovs)");
        }
        this.descProfile = profile;
        return this;
    }

    public SwitchConfig datapathThreads(int n) {
        this.datapathThreads = n;
        return this;
    }

    public SwitchConfig clock(SwitchClock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * Buckets of the switch's connection tracker (a power of two; default {@value ConnTracker#DEFAULT_BUCKETS}, the
     * seed's): fewer for the many small switches of a lab, where each bucket's fixed cost matters more than lock
     * contention.
     */
    public SwitchConfig conntrackBuckets(int buckets) {
        if (buckets < 1 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("conntrack buckets must be a power of two: " + buckets);
        }
        this.conntrackBuckets = buckets;
        return this;
    }

    /**
     * Threads to share with other switches ({@link SwitchRuntime#shared}); without one the switch starts its own.
     * The switch does not close a runtime it was given.
     */
    public SwitchConfig runtime(SwitchRuntime runtime) {
        this.runtime = runtime;
        return this;
    }
}
