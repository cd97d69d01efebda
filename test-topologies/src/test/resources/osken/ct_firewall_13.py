"""A stateful firewall for os-ken on OpenFlow 1.3 with Nicira conntrack actions, for OsKenFirewallIT.

Policy: the host ``PROTECTED`` (10.0.0.1, h1) may open connections to anyone; nobody may open a connection to it;
replies and related traffic of allowed connections pass; every other new connection is allowed. Connections are
tracked in zone ``ZONE``. Forwarding is L2 learning through the controller: ARP goes to the controller (which learns
the sender's port) and is flooded; IP frames that pass the firewall are forwarded by table 2, where the controller
installs one ``eth_dst=MAC -> output:PORT`` flow per learned MAC, and flooded while the MAC is unknown.

The flows, in ovs-ofctl syntax::

  table=0, priority=100,arp                        actions=CONTROLLER:65535,FLOOD
  table=0, priority=100,ip                         actions=ct(table=1,zone=7)
  table=1, priority=300,ct_state=+inv+trk,ip       actions=drop
  table=1, priority=200,ct_state=+est+trk,ip       actions=goto_table:2
  table=1, priority=200,ct_state=+rel+trk,ip       actions=goto_table:2
  table=1, priority=150,ct_state=+new+trk,ip,nw_dst=10.0.0.1  actions=drop
  table=1, priority=100,ct_state=+new+trk,ip       actions=ct(commit,zone=7),goto_table:2
  table=2, priority=10,dl_dst=MAC                  actions=output:PORT     (one per learned MAC)
  table=2, priority=0                              actions=FLOOD

Everything else misses table 0 and is dropped (OpenFlow 1.3's default).
"""

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import nicira_ext, ofproto_v1_3

PROTECTED = '10.0.0.1'
ZONE = 7
ETH_IP = 0x0800
ETH_ARP = 0x0806

# ct_state bits (nicira_ext.CT_STATE_*; spelled out so the policy reads like ovs-ofctl's).
NEW, EST, REL, INV, TRK = 0x01, 0x02, 0x04, 0x10, 0x20


class CtFirewall13(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.learned = {}  # dpid -> {mac: port}

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def on_features(self, ev):
        dp = ev.msg.datapath
        ofp, p = dp.ofproto, dp.ofproto_parser

        def ct(commit, table):
            return p.NXActionCT(flags=nicira_ext.NX_CT_F_COMMIT if commit else 0, zone_src="",
                                zone_ofs_nbits=ZONE, recirc_table=table, alg=0, actions=[])

        apply = lambda *acts: p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, list(acts))
        goto = lambda t: p.OFPInstructionGotoTable(t)
        no_recirc = ofp.OFPTT_ALL  # NX_CT_RECIRC_NONE (0xff): continue with the next action

        self._flow(dp, 0, 100, p.OFPMatch(eth_type=ETH_ARP),
                   [apply(p.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER),
                          p.OFPActionOutput(ofp.OFPP_FLOOD))])
        self._flow(dp, 0, 100, p.OFPMatch(eth_type=ETH_IP), [apply(ct(False, 1))])
        self._flow(dp, 1, 300, p.OFPMatch(eth_type=ETH_IP, ct_state=(INV | TRK, INV | TRK)), [])
        self._flow(dp, 1, 200, p.OFPMatch(eth_type=ETH_IP, ct_state=(EST | TRK, EST | TRK)), [goto(2)])
        self._flow(dp, 1, 200, p.OFPMatch(eth_type=ETH_IP, ct_state=(REL | TRK, REL | TRK)), [goto(2)])
        self._flow(dp, 1, 150, p.OFPMatch(eth_type=ETH_IP, ct_state=(NEW | TRK, NEW | TRK), ipv4_dst=PROTECTED),
                   [])
        self._flow(dp, 1, 100, p.OFPMatch(eth_type=ETH_IP, ct_state=(NEW | TRK, NEW | TRK)),
                   [apply(ct(True, no_recirc)), goto(2)])
        self._flow(dp, 2, 0, p.OFPMatch(), [apply(p.OFPActionOutput(ofp.OFPP_FLOOD))])
        # A barrier, so that "fw: ready" is only logged once the switch has taken every flow.
        dp.send_msg(p.OFPBarrierRequest(dp))
        self.logger.info("fw: dpid=%016x connected, firewall flows sent", dp.id)

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def on_barrier(self, ev):
        self.logger.info("fw: dpid=%016x ready", ev.msg.datapath.id)

    @set_ev_cls(ofp_event.EventOFPErrorMsg, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def on_error(self, ev):
        m = ev.msg
        self.logger.error("fw-error: dpid=%016x OFPT_ERROR type=%d code=%d data=%s", m.datapath.id, m.type, m.code,
                          m.data.hex())

    def _flow(self, dp, table, priority, match, inst):
        p = dp.ofproto_parser
        dp.send_msg(p.OFPFlowMod(datapath=dp, table_id=table, priority=priority, match=match, instructions=inst))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def on_packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, p = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocol(ethernet.ethernet)
        if eth is None:
            return
        known = self.learned.setdefault(dp.id, {})
        if known.get(eth.src) != in_port:
            known[eth.src] = in_port
            self._flow(dp, 2, 10, p.OFPMatch(eth_dst=eth.src),
                       [p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionOutput(in_port)])])
            self.logger.info("fw: dpid=%016x learned %s on port %s (packet-in reason %d, table %d)", dp.id, eth.src,
                             in_port, msg.reason, msg.table_id)
