package dev.ofswitch.lab.controller;

import dev.ofswitch.ofswitch.flow.MatchField;
import java.util.List;

/**
 * The lab's default controller app: L2 forwarding by the switches' NORMAL action behind a stateful firewall built on
 * connection tracking, the way OpenStack Neutron's OVS firewall driver does it. It is what {@code bin/lab demo}
 * shows.
 *
 * <h2>Policy</h2>
 * <ul>
 * <li>Every IPv4 packet is tracked in its tenant's zone: the zone is loaded into {@code reg6} from the source subnet
 * ({@link Tenant}), then {@code ct(table=1,zone=NXM_NX_REG6[0..15])}. ARP goes straight to NORMAL; anything else is
 * dropped.
 * <li>Table 1: {@code +inv} is dropped; {@code +est} and {@code +rel} (return traffic, ICMP errors) go through.
 * <li>New connections to a protected ("inside") host are refused, except ICMP echo; new connections anywhere else are
 * committed with {@code ct_mark} = the tenant's zone and go through. So a ping to any host works, a TCP session from
 * the inside host works both ways, and a TCP connection attempt towards the inside host is blocked.
 * </ul>
 *
 * <pre>
 * table=0, priority=300,arp actions=NORMAL
 * table=0, priority=100,ip,nw_src=SUBNET actions=set_field:ZONE->reg6,ct(table=1,zone=NXM_NX_REG6[0..15])
 * table=0, priority=0 actions=drop
 * table=1, priority=300,ct_state=+inv+trk actions=drop
 * table=1, priority=200,ct_state=+est+trk actions=NORMAL
 * table=1, priority=200,ct_state=+rel+trk actions=NORMAL
 * table=1, priority=150,ct_state=+new+trk,icmp,nw_dst=INSIDE actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:ZONE->ct_mark)),NORMAL
 * table=1, priority=140,ct_state=+new+trk,ip,nw_dst=INSIDE actions=drop
 * table=1, priority=100,ct_state=+new+trk,ip actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:ZONE->ct_mark)),NORMAL
 * </pre>
 * (The commits' mark is the zone: one commit flow per tenant, matching reg6.)
 *
 * <p>Stateless and thread-safe: it only sends flows when a switch connects.
 */
public final class FirewallApp implements ControllerApp {
    /** A tenant: its conntrack zone and the IPv4 subnet its hosts live in. */
    public record Tenant(int zone, long subnet, int prefix) {
        public Tenant {
            if (zone < 1 || zone > 0xffff) {
                throw new IllegalArgumentException("tenant zone must be 1..65535: " + zone);
            }
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("prefix must be 0..32: " + prefix);
            }
        }

        long mask() {
            return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        }
    }

    private static final long CT_NEW_TRK = 0x21;
    private static final long CT_EST_TRK = 0x22;
    private static final long CT_REL_TRK = 0x24;
    private static final long CT_INV_TRK = 0x30;

    private final List<Tenant> tenants;
    private final List<Long> inside;

    /**
     * @param tenants the tenants (at least one)
     * @param inside  the protected hosts' IPv4 addresses
     */
    public FirewallApp(List<Tenant> tenants, List<Long> inside) {
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("the firewall needs at least one tenant");
        }
        this.tenants = List.copyOf(tenants);
        this.inside = List.copyOf(inside);
    }

    /** The policy's flows for one switch, in install order. */
    public List<byte[]> flows(SwitchHandle sw) {
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
        out.add(FlowMods.deleteAll(sw.nextXid()));
        out.add(FlowMods.add(0, 300).match(MatchField.ETH_TYPE, 0x0806).apply(OfActions.of().normal())
                .build(sw.nextXid()));
        for (Tenant t : tenants) {
            FlowMods f = FlowMods.add(0, 100).match(MatchField.ETH_TYPE, 0x0800);
            if (t.prefix() == 32) {
                f.match(MatchField.IPV4_SRC, t.subnet());
            } else if (t.prefix() > 0) {
                f.match(MatchField.IPV4_SRC, t.subnet() & t.mask(), t.mask());
            }
            out.add(f.apply(OfActions.of().setField(MatchField.REG6, t.zone())
                    .ct(OfActions.Ct.lookup().zoneFrom(MatchField.REG6).table(1))).build(sw.nextXid()));
        }
        out.add(FlowMods.add(0, 0).build(sw.nextXid()));
        out.add(FlowMods.add(1, 300).match(MatchField.CT_STATE, CT_INV_TRK, CT_INV_TRK).build(sw.nextXid()));
        out.add(FlowMods.add(1, 200).match(MatchField.CT_STATE, CT_EST_TRK, CT_EST_TRK)
                .apply(OfActions.of().normal()).build(sw.nextXid()));
        out.add(FlowMods.add(1, 200).match(MatchField.CT_STATE, CT_REL_TRK, CT_REL_TRK)
                .apply(OfActions.of().normal()).build(sw.nextXid()));
        for (Tenant t : tenants) {
            OfActions commit = OfActions.of()
                    .ct(OfActions.Ct.commit().zoneFrom(MatchField.REG6).mark(t.zone())).normal();
            for (long ip : inside) {
                out.add(FlowMods.add(1, 150).match(MatchField.REG6, t.zone())
                        .match(MatchField.CT_STATE, CT_NEW_TRK, CT_NEW_TRK).match(MatchField.ETH_TYPE, 0x0800)
                        .match(MatchField.IP_PROTO, 1).match(MatchField.IPV4_DST, ip).apply(commit)
                        .build(sw.nextXid()));
            }
            out.add(FlowMods.add(1, 100).match(MatchField.REG6, t.zone())
                    .match(MatchField.CT_STATE, CT_NEW_TRK, CT_NEW_TRK).match(MatchField.ETH_TYPE, 0x0800)
                    .apply(commit).build(sw.nextXid()));
        }
        for (long ip : inside) {
            out.add(FlowMods.add(1, 140).match(MatchField.CT_STATE, CT_NEW_TRK, CT_NEW_TRK)
                    .match(MatchField.ETH_TYPE, 0x0800).match(MatchField.IPV4_DST, ip).build(sw.nextXid()));
        }
        return out;
    }

    @Override
    public void switchConnected(SwitchHandle sw) {
        for (byte[] m : flows(sw)) {
            sw.send(m);
        }
    }
}
