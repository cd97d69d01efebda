#!/usr/bin/env python3
"""Adds each flow of CASES to a real, running Open vSwitch with ovs-ofctl in one OpenFlow version and dumps it with
ovs-ofctl in every other (OpenFlow 1.0 with NXM, plain OpenFlow 1.0, 1.3, 1.4, 1.5), through a recording TCP proxy, so
that the exact FLOW_MOD ovs-ofctl sent and the exact flow stats reply OVS sent back are both kept.  Writes
src/test/resources/golden/cross-version-flows.txt:

  # flow_mod <name> added with <version>: <ovs-ofctl ofp-print of the FLOW_MOD>
  <FLOW_MOD hex>
  # dump <name> <kind>: <what ovs-ofctl dump-flows printed for it>
  <hex of the whole stats reply OVS sent>
  ...

CrossVersionGoldenTest decodes each FLOW_MOD, encodes the reply for each kind with the switch's codec and compares.

Start OVS first:  /work/shared/oracle/ovs-oracle start --listen 16634 --dir DIR   (stop: ovs-oracle stop DIR)
Run from the ofswitch module directory:  python3 src/test/tools/capture_cross_version.py 16634
"""
import re
import socket
import struct
import subprocess
import sys
import threading

ovs_port = int(sys.argv[1]) if len(sys.argv) > 1 else 16634
OVS = 'tcp:127.0.0.1:%d' % ovs_port

CASES = [
    ('of13_set_field_ip_dst', 'OpenFlow13', 'priority=5,ip,nw_src=10.0.0.0/8 actions=set_field:10.9.9.9->ip_dst,output:2'),
    ('of10_mod_nw_dst', 'OpenFlow10', 'priority=6,ip actions=mod_nw_dst:1.2.3.4,output:1'),
    ('of13_instructions', 'OpenFlow13', 'priority=5,reg0=5,tcp,tp_dst=80 actions=set_field:10.9.9.9->ip_dst,'
     'load:0xff->NXM_NX_REG1[0..7],write_actions(output:3),write_metadata:0x5/0xff,goto_table:2'),
    ('of13_dec_ttl_goto', 'OpenFlow13', 'priority=4,udp actions=dec_ttl,goto_table:3'),
    ('of13_vlan_move_clear', 'OpenFlow13', 'priority=3,vlan_vid=0x1005 actions=set_field:0x1009->vlan_vid,'
     'move:NXM_NX_REG0[0..3]->NXM_NX_REG2[4..7],clear_actions'),
    ('of10_legacy_mix', 'OpenFlow10', 'priority=6,udp,dl_vlan=7 actions=mod_nw_dst:1.2.3.4,mod_vlan_vid:9,'
     'mod_tp_src:99,set_tunnel:5,dec_ttl,enqueue:2:3,mod_nw_tos:8,output:1'),
    ('of10_vlan_push_ecn_ttl', 'OpenFlow10', 'priority=7,ip actions=mod_vlan_vid:9,mod_tp_src:99,mod_nw_ecn:2,'
     'mod_nw_ttl:3,strip_vlan,mod_dl_src:00:11:22:33:44:55,set_tunnel64:0x123456789'),
    ('of15_masked_set_field_copy_field', 'OpenFlow15', 'priority=7,ip,nw_src=1.2.3.0/24 actions='
     'set_field:0x10/0xf0->reg3,set_field:1.2.0.0/255.255.0.0->ip_dst,move:NXM_NX_REG0[]->NXM_NX_REG4[],output:3'),
    ('of13_push_vlan_tcp_flags', 'OpenFlow13', 'priority=8,tcp,tcp_flags=+syn-ack,reg3=0x10/0xff actions='
     'push_vlan:0x8100,set_field:4101->vlan_vid,set_field:3->vlan_pcp,output:1'),
    ('of13_arp', 'OpenFlow13', 'priority=9,arp,arp_spa=10.0.0.1,arp_op=1 actions=load:0x2->NXM_OF_ARP_OP[],'
     'move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],set_field:00:11:22:33:44:55->eth_src,IN_PORT'),
    ('of10_ipv6_in_port', 'OpenFlow10', 'priority=10,in_port=3,dl_src=00:00:00:00:00:01,ipv6,ipv6_src=fe80::/64 '
     'actions=load:0x5->NXM_NX_REG0[],resubmit(,2),controller:100'),
    ('of13_ct_match_metadata', 'OpenFlow13', 'priority=11,ct_state=+trk+est,ct_mark=0x1/0xf,metadata=0x5/0xff,'
     'in_port=2 actions=set_field:0x1234->tun_id,set_field:0x5->pkt_mark,output:in_port'),
    ('of15_icmp_xregs', 'OpenFlow15', 'priority=12,icmp,icmp_type=8,reg0=1,reg1=2 actions=dec_ttl,'
     'set_field:64->nw_ttl,output:1'),
    ('of10_mpls', 'OpenFlow10', 'priority=13,dl_type=0x8847,mpls_label=5 actions=set_mpls_label(7),'
     'set_mpls_ttl(9),dec_mpls_ttl,pop_mpls:0x0800,output:1'),
    ('of13_tos_ecn', 'OpenFlow13', 'priority=14,ip,nw_tos=32,nw_ecn=1 actions=mod_nw_tos:16,set_field:3->ip_ecn,'
     'output:2'),
    ('of13_write_actions_only', 'OpenFlow13', 'priority=15,ip actions=write_actions(set_field:1.1.1.1->ip_src,'
     'output:2)'),
    ('of10_tp_queue', 'OpenFlow10', 'priority=16,tcp,tp_src=22 actions=mod_tp_dst:2222,set_queue:4,output:2,'
     'pop_queue'),
    ('of14_udp_strip_vlan', 'OpenFlow14', 'priority=17,udp,udp_dst=53,vlan_tci=0x1000/0x1000 actions='
     'set_field:53->udp_src,strip_vlan,output:NORMAL'),
    ('of15_tcp_flags_load', 'OpenFlow15', 'priority=19,tcp,tcp_flags=+syn actions=load:0x5->NXM_NX_REG0[0..7],'
     'output:1'),
    ('of13_load_segments', 'OpenFlow13', 'priority=20,ip actions=load:0x3->NXM_NX_REG2[4..5],'
     'load:0xabcd->NXM_NX_REG2[16..31],set_field:0x1/0x1->reg4,set_field:0xf0000/0xff0ff->metadata,output:1'),
    ('of10_drop', 'OpenFlow10', 'priority=21,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=drop'),
    ('of13_controller2', 'OpenFlow13', 'priority=22,ip actions=controller(reason=no_match,max_len=64,id=3),'
     'note:01.02.03,exit'),
    ('of10_ct', 'OpenFlow10', 'priority=23,ip,reg5=0x3,ct_state=-trk actions=ct(table=1,zone=5)'),
]

DUMPS = [
    ('of10_nxm', ['-O', 'OpenFlow10']),
    ('of10_std', ['-O', 'OpenFlow10', '-F', 'openflow10']),
    ('of13', ['-O', 'OpenFlow13']),
    ('of14', ['-O', 'OpenFlow14']),
    ('of15', ['-O', 'OpenFlow15']),
]

log = []
log_lock = threading.Lock()


def recv_exact(s, n):
    data = b''
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def pump(src, dst, direction):
    try:
        while True:
            hdr = recv_exact(src, 8)
            ln = struct.unpack('!H', hdr[2:4])[0]
            msg = hdr + recv_exact(src, ln - 8)
            with log_lock:
                log.append((direction, msg))
            dst.sendall(msg)
    except (EOFError, OSError):
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def proxy(listener):
    while True:
        client, _ = listener.accept()
        server = socket.create_connection(('127.0.0.1', ovs_port))
        threading.Thread(target=pump, args=(client, server, 'c2s'), daemon=True).start()
        threading.Thread(target=pump, args=(server, client, 's2c'), daemon=True).start()


def ofctl(args, target, after=()):
    r = subprocess.run(['ovs-ofctl'] + args + [target] + list(after), capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def ofp_print(msg):
    r = subprocess.run(['ovs-ofctl', 'ofp-print', msg.hex()], capture_output=True, text=True)
    return ' | '.join(line.strip() for line in r.stdout.strip().splitlines())


def is_flow_mod(m):
    if m[1] == 14:
        return True
    return m[0] == 1 and m[1] == 4 and len(m) >= 16 and struct.unpack('!II', m[8:16]) == (0x2320, 13)


def is_flow_stats_reply(m):
    if m[0] == 1:
        return m[1] == 17 and (struct.unpack('!H', m[8:10])[0] == 1
                               or (len(m) >= 20 and struct.unpack('!HHII', m[8:20]) == (0xffff, 0, 0x2320, 0)))
    return m[1] == 19 and struct.unpack('!H', m[8:10])[0] == 1


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', 0))
    listener.listen(8)
    threading.Thread(target=proxy, args=(listener,), daemon=True).start()
    via = 'tcp:127.0.0.1:%d' % listener.getsockname()[1]
    out = ['# Flows added to a real Open vSwitch 3.1 with ovs-ofctl in one OpenFlow version and dumped in every other',
           '# (src/test/tools/capture_cross_version.py): the FLOW_MOD ovs-ofctl sent, then per dump the flow stats',
           '# reply OVS sent and what ovs-ofctl dump-flows printed.', '']
    for name, version, flow in CASES:
        ofctl(['-O', 'OpenFlow13', 'del-flows'], OVS)
        with log_lock:
            log.clear()
        rc, so, se = ofctl(['-O', version, 'add-flow'], via, [flow])
        if rc != 0:
            sys.exit('%s: add-flow failed: %s' % (name, se))
        with log_lock:
            mods = [m for d, m in log if d == 'c2s' and is_flow_mod(m)]
        if len(mods) != 1:
            sys.exit('%s: %d flow mods captured' % (name, len(mods)))
        out.append('# flow_mod %s added with %s: %s' % (name, version, ofp_print(mods[0])))
        out.append(mods[0].hex())
        for kind, args in DUMPS:
            with log_lock:
                log.clear()
            rc, so, se = ofctl(args + ['dump-flows'], via)
            text = ' | '.join(line.strip() for line in (so + se).strip().splitlines()
                              if not re.match(r'\d{4}-\d\d-\d\dT', line))
            with log_lock:
                replies = [m for d, m in log if d == 's2c' and is_flow_stats_reply(m)]
            if len(replies) != 1:
                sys.exit('%s/%s: %d flow stats replies captured' % (name, kind, len(replies)))
            out.append('# dump %s %s: %s' % (name, kind, text))
            out.append(replies[0].hex())
        out.append('')
        print(name, 'ok', file=sys.stderr)
    with open('src/test/resources/golden/cross-version-flows.txt', 'w') as f:
        f.write('\n'.join(out))


main()
