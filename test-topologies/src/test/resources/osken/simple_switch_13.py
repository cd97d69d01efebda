"""An OpenFlow 1.3 L2 learning switch for os-ken, standing in for os-ken's own sample app in OsKenL2SwitchIT.

Origin: upstream os-ken (and Ryu before it) ships ``os_ken/app/simple_switch_13.py`` (Apache License 2.0,
Copyright (C) 2011 Nippon Telegraph and Telephone Corporation), run as ``osken-manager os_ken.app.simple_switch_13``;
Debian's python3-os-ken (2.5.0), which CI installs, leaves the sample apps out. This file is not a copy of it: it
was written for ofswitch's integration tests to do what that app does, with the same flows, plus an idle timeout
and logging:

* on connect (features reply): a table-miss flow, priority 0, sending everything to the controller
  (OFPCML_NO_BUFFER, so the switch sends the whole frame);
* on each packet-in: remember (datapath, source MAC) -> in_port; if the destination MAC is known, install
  priority 1 ``in_port, eth_src, eth_dst -> output:PORT`` (idle timeout 60 s) and send the frame there with a
  packet-out; otherwise flood it with a packet-out.

Every decision is logged at INFO with the prefix ``l2:`` so a failing test can show what the controller saw, and
every OFPT_ERROR from a switch at ERROR with the prefix ``l2-error:`` (os-ken itself logs them at DEBUG only).
"""

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3


class LearningSwitch13(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ports_by_mac = {}  # dpid -> {mac: port}

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def on_features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        to_controller = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        self._flow(dp, 0, parser.OFPMatch(), to_controller)
        self.logger.info("l2: dpid=%016x connected, table-miss installed", dp.id)

    @set_ev_cls(ofp_event.EventOFPErrorMsg, [CONFIG_DISPATCHER, MAIN_DISPATCHER])
    def on_error(self, ev):
        m = ev.msg
        self.logger.error("l2-error: dpid=%016x OFPT_ERROR type=%d code=%d data=%s", m.datapath.id, m.type, m.code,
                          m.data.hex())

    def _flow(self, dp, priority, match, actions, idle=0):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=priority, match=match, instructions=inst,
                                      idle_timeout=idle))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def on_packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocol(ethernet.ethernet)
        if eth is None:
            self.logger.warning("l2: dpid=%016x in_port=%s: not an Ethernet frame", dp.id, in_port)
            return
        table = self.ports_by_mac.setdefault(dp.id, {})
        table[eth.src] = in_port
        out_port = table.get(eth.dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_src=eth.src, eth_dst=eth.dst)
            self._flow(dp, 1, match, actions, idle=60)
        self.logger.info("l2: dpid=%016x in_port=%s %s -> %s ethertype=0x%04x: output %s", dp.id, in_port,
                         eth.src, eth.dst, eth.ethertype, "FLOOD" if out_port == ofp.OFPP_FLOOD else out_port)
        data = msg.data if msg.buffer_id == ofp.OFP_NO_BUFFER else None
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=msg.buffer_id, in_port=in_port,
                                        actions=actions, data=data))
