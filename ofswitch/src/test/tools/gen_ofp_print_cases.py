#!/usr/bin/env python3
"""Builds malformed and edge-case OpenFlow messages and records what OVS's own decoder (`ovs-ofctl ofp-print`,
the same ofputil_decode_flow_mod() + ofpacts_check_consistency() that ovs-vswitchd runs) says about each one.

Writes src/test/resources/golden/ofp-print-cases.txt: '# EXPECT <OK|OFPxxx_NAME> <description>' then the hex.
Run from the ofswitch module directory:  python3 src/test/tools/gen_ofp_print_cases.py
"""
import re
import struct
import subprocess
import sys

V = {'10': 1, '13': 4, '14': 5, '15': 6}
cases = []


def pad8(b):
    return b + b'\0' * ((8 - len(b) % 8) % 8)


def oxm_match(tlvs_hex, mtype=1, length=None):
    body = bytes.fromhex(tlvs_hex)
    ln = 4 + len(body) if length is None else length
    return pad8(struct.pack('!HH', mtype, ln) + body)


def inst_apply(acts_hex):
    a = bytes.fromhex(acts_hex)
    return (struct.pack('!HH4x', 4, 8 + len(a)) + a) if a else b''


def fm11(ver, match='', insts=b'', cmd=0, table=0, flags=0, out_port=0xffffffff, importance=0,
         raw_match=None, length=None):
    m = raw_match if raw_match is not None else oxm_match(match)
    body = struct.pack('!QQBBHHHIIIHH', 0, 0, table, cmd, 0, 0, 0x8000, 0xffffffff, out_port, 0xffffffff,
                       flags, importance) + m + insts
    ln = 8 + len(body) if length is None else length
    return struct.pack('!BBHI', ver, 14, ln, 6) + body


def fm10(acts_hex, wildcards=0x3fffff, match_tail=None, cmd=0, flags=0, idle=0, prio=0x8000):
    match = struct.pack('!I', wildcards) + (match_tail if match_tail is not None else b'\0' * 36)
    body = match + struct.pack('!QHHHHIHH', 0, cmd, idle, 0, prio, 0xffffffff, 0xffff, flags) \
        + bytes.fromhex(acts_hex)
    return struct.pack('!BBHI', 1, 14, 8 + len(body), 6) + body


def nxt_fm(nxm_hex, acts_hex, cmd=0, match_len=None):
    nxm = bytes.fromhex(nxm_hex)
    ml = len(nxm) if match_len is None else match_len
    body = struct.pack('!IIQHHHHIHHH6x', 0x2320, 13, 0, cmd, 0, 0, 0x8000, 0xffffffff, 0xffff, 0, ml) \
        + pad8(nxm) + bytes.fromhex(acts_hex)
    return struct.pack('!BBHI', 1, 4, 8 + len(body), 6) + body


def add(desc, msg):
    cases.append((desc, msg))


IP = '80000a020800'
TCP = IP + '80001401' + '06'
# ---- OXM matches (OF1.3 unless noted)
add('in_phy_port is unknown to OVS', fm11(4, '8000020400000001'))
add('in_port twice', fm11(4, '800000040000000180000004000000ff'))
add('truncated TLV payload', fm11(4, '80000004000000'))
add('ip_src without eth_type', fm11(4, '80001604' + '0a000001'))
add('ip_src after eth_type=ip', fm11(4, IP + '80001604' + '0a000001'))
add('masked ip_src with value bits outside mask', fm11(4, IP + '80001708' + '0a000001ffffff00'))
add('eth_type with a partial mask', fm11(4, '80000b0408000f00'))
add('ct_zone masked with all-ones mask', fm11(4, '0001d5040005ffff'))
add('ct_zone masked with partial mask', fm11(4, '0001d504000500ff'))
add('vlan_pcp without vlan_vid', fm11(4, '80000e0103'))
add('vlan_pcp after vlan_vid present', fm11(4, '80000c021001' + '80000e0103'))
add('ip_dscp 0x40 out of range', fm11(4, IP + '8000100140'))
add('ip_ecn 4 out of range', fm11(4, IP + '8000120104'))
add('arp_op 0x100 out of range', fm11(4, '80000a020806' + '80002a020100'))
add('arp_op 2', fm11(4, '80000a020806' + '80002a020002'))
add('reg0 then reg1', fm11(4, '0001000400000005' + '0001020400000006'))
add('reg0 then xreg0', fm11(4, '0001000400000005' + '800100080000000000000006'))
add('xreg0 masked then reg1', fm11(4, '80010110' + '0000000500000000' + 'ffffffff00000000' + '0001020400000006'))
add('vlan_tci then vlan_vid', fm11(4, '000008021001' + '80000c021001'))
add('nw_tos (NXM) then ip_dscp', fm11(4, IP + '00000a0104' + '8000100101'))
add('ip_dscp then ip_ecn', fm11(4, IP + '8000100101' + '8000120102'))
add('match type 0', fm11(4, raw_match=struct.pack('!HH4x', 0, 4)))
add('match length 3', fm11(4, raw_match=struct.pack('!HH4x', 1, 3)))
add('match length beyond message', fm11(4, raw_match=struct.pack('!HH4x', 1, 64)))
add('ct_state 0x100 out of range', fm11(4, '0001d20400000100'))
add('ct_nw_src with +trk+est but no eth_type', fm11(4, '0001d20400000022' + '0001f0040a000001'))
add('ct_nw_src with +trk+est and ip', fm11(4, IP + '0001d20400000022' + '0001f0040a000001'))
add('ct_nw_src with +trk only', fm11(4, IP + '0001d20400000020' + '0001f0040a000001'))
add('ct_nw_src with +trk-inv', fm11(4, IP + '0001d3080000002000000030' + '0001f0040a000001'))
add('ct_tp_src with +trk+new', fm11(4, IP + '0001d20400000021' + '0001f80203e8'))
add('ct_ipv6_src with ip (not ipv6)', fm11(4, IP + '0001d20400000022' + '0001f410' + '00' * 15 + '01'))
add('unknown experimenter OXM', fm11(4, 'ffff0006' + '12345678' + '0001'))
add('ONF tcp_flags in OF1.3', fm11(4, TCP + 'ffff5406' + '4f4e4600' + '0010'))
add('ONF tcp_flags without tcp', fm11(4, 'ffff5406' + '4f4e4600' + '0010'))
add('OXM tcp_flags in OF1.3', fm11(4, TCP + '800054020010'))
add('tcp_flags 0x1000 out of range', fm11(5, TCP + '800054021000'))
add('OXM of length 0', fm11(4, '80000000'))
add('experimenter OXM with length 2', fm11(4, 'ffff0002' + '4f4e4600'))
add('in_port 0xffff0000 out of range', fm11(4, '80000004ffff0000'))
add('in_port 0xfffffffe (LOCAL)', fm11(4, '80000004fffffffe'))
add('tcp_src with ip but no ip_proto', fm11(4, IP + '80001a020050'))
add('tcp_src with ip_proto=17', fm11(4, IP + '8000140111' + '80001a020050'))
add('udp_src with ip_proto=17', fm11(4, IP + '8000140111' + '80001e020035'))
add('nd_target on icmpv6 type 135', fm11(4, '80000a0286dd' + '800014013a' + '80003a0187' + '80003e10' + '00' * 15 + '01'))
add('nd_sll on neighbour advert', fm11(4, '80000a0286dd' + '800014013a' + '80003a0188' + '8000400600010203' + '0405'))
add('nd_tll on neighbour advert', fm11(4, '80000a0286dd' + '800014013a' + '80003a0188' + '8000420600010203' + '0405'))
add('mpls_label 0x100000 out of range', fm11(4, '80000a028847' + '8000440400100000'))
add('mpls_bos on mpls', fm11(4, '80000a028847' + '8000480101'))
add('icmpv4_type without ip_proto', fm11(4, IP + '8000260108'))
add('ipv6_label 0x100000 out of range', fm11(4, '80000a0286dd' + '8000380400100000'))
add('vlan_vid 0x2000 out of range', fm11(4, '80000c022000'))
add('metadata masked', fm11(4, '80000510' + '0000000000000001' + '00000000000000ff'))
add('ct_label masked', fm11(4, '0001d920' + '00' * 15 + '01' + '00' * 15 + '01'))
add('NXM in_port (16-bit) in an OXM match', fm11(4, '000000020001'))
add('xreg0 in OF1.3', fm11(4, '800100080000000500000006'))
add('tun_id via OXM', fm11(4, '80004c080000000000000064'))
add('pkt_mark masked', fm11(4, '0001430800000001000000ff'))

# ---- actions (OF1.3 unless noted)
add('output port 0xff00', fm11(4, insts=inst_apply('0000001000000000ffff000000000000'.replace('00000000ffff', '0000ff00ffff', 1))))
add('output port 0xffffff00', fm11(4, insts=inst_apply('00000010ffffff00ffff000000000000')))
add('output port 0xfffffffd controller', fm11(4, insts=inst_apply('00000010fffffffdffff000000000000')))
add('output port 0xffffffff (ANY)', fm11(4, insts=inst_apply('00000010ffffffffffff000000000000')))
add('output with non-zero padding', fm11(4, insts=inst_apply('0000001000000005ffff000000000001')))
add('action type 26 unknown', fm11(4, insts=inst_apply('001a000800000000')))
add('copy_ttl_out is not implemented by OVS', fm11(4, insts=inst_apply('000b000800000000')))
add('action length 12', fm11(4, insts=inst_apply('0000000c00000005ffff0000' + '00000000')))
add('action length 0', fm11(4, insts=inst_apply('0000000000000005')))
add('action length beyond list', fm11(4, insts=inst_apply('0000001800000005ffff000000000000')))
add('vendor action with unknown vendor', fm11(4, insts=inst_apply('ffff00100000abcd0001000000000000')))
add('NX action with 8-byte header', fm11(4, insts=inst_apply('ffff000800002320')))
add('NX unknown subtype 200', fm11(4, insts=inst_apply('ffff00100000232000c8000000000000')))
add('NX dec_ttl (18) in OF1.3', fm11(4, insts=inst_apply('ffff001000002320001200000000' + '0000')))
add('dec_nw_ttl without ip', fm11(4, insts=inst_apply('0018000800000000')))
add('dec_nw_ttl with ip', fm11(4, IP, insts=inst_apply('0018000800000000')))
add('set_nw_ttl with ip', fm11(4, IP, insts=inst_apply('0017000840000000')))
add('push_vlan 0x0800', fm11(4, insts=inst_apply('0011000808000000')))
add('push_vlan 0x88a8', fm11(4, insts=inst_apply('0011000888a80000')))
add('push_mpls 0x8847', fm11(4, insts=inst_apply('0013000888470000')))
add('pop_mpls without mpls', fm11(4, insts=inst_apply('0014000808000000')))
add('set_nw_src (legacy) without ip', fm11(4, insts=inst_apply('000500080a000001')))
add('set_nw_src (legacy) with ip', fm11(4, IP, insts=inst_apply('000500080a000001')))
add('set_tp_dst (legacy) with tcp', fm11(4, TCP, insts=inst_apply('000a000800500000')))
add('set_nw_tos with ECN bits', fm11(4, IP, insts=inst_apply('0007000803000000')))
add('set_vlan_vid (legacy) without vlan', fm11(4, insts=inst_apply('0001000800050000')))
add('set_field ip_src without ip', fm11(4, insts=inst_apply('00190010800016040a00000100000000')))
add('set_field ip_src with ip', fm11(4, IP, insts=inst_apply('00190010800016040a00000100000000')))
add('set_field tcp_src with ip only', fm11(4, IP, insts=inst_apply('0019001080001a020050000000000000')))
add('masked set_field in OF1.3', fm11(4, IP, insts=inst_apply('00190018800017080a000001ffffff0000000000' + '00000000')))
add('masked set_field in OF1.5', fm11(6, IP, insts=inst_apply('00190018800017080a000001ffffff0000000000' + '00000000')))
add('set_field eth_type (read-only)', fm11(4, insts=inst_apply('0019001080000a020800000000000000')))
add('set_field in_port', fm11(4, insts=inst_apply('00190010800000040000000100000000')))
add('set_field unknown field', fm11(4, insts=inst_apply('0019001080007e040000000100000000')))
add('set_field non-zero padding', fm11(4, IP, insts=inst_apply('00190010800016040a00000100000001')))
add('set_field vlan_vid without present bit', fm11(4, '80000c021001', insts=inst_apply('0019001080000c020005000000000000')))
add('set_field vlan_vid with present bit, vlan matched', fm11(4, '80000c021001', insts=inst_apply('0019001080000c021005000000000000')))
add('set_field vlan_vid with present bit, no vlan', fm11(4, insts=inst_apply('0019001080000c021005000000000000')))
add('set_field ct_mark outside ct', fm11(4, insts=inst_apply('001900100001d6040000000100000000')))
add('set_field reg0', fm11(4, insts=inst_apply('00190010000100040000000500000000')))
add('set_field reg0 value longer than field', fm11(4, insts=inst_apply('001900100001000500000005ff000000')))
add('set_field with truncated OXM', fm11(4, insts=inst_apply('0019000800010004')))
add('set_field ip_dscp 0x40', fm11(4, IP, insts=inst_apply('00190010800010014000000000000000')))
add('reg_load reg0[0..15]', fm11(4, insts=inst_apply('ffff0018000023200007000f0001000400000000000000ff')))
add('reg_load beyond reg width', fm11(4, insts=inst_apply('ffff001800002320000707cf000100040000000000000001')))
add('reg_load value wider than n_bits', fm11(4, insts=inst_apply('ffff0018000023200007000300010004000000000000ffff')))
add('reg_load unknown field', fm11(4, insts=inst_apply('ffff0018000023200007000f0001fe040000000000000001')))
add('set_field unknown 1-byte field', fm11(4, insts=inst_apply('0019001080003e010100000000000000')))
add('set_field unknown experimenter field', fm11(4, insts=inst_apply('00190010ffff0005123456780100000000000000'[:32])))
add('match type 0 with 88 bytes', fm11(4, raw_match=struct.pack('!HH', 0, 88) + bytes(84)))
add('reg_load read-only ct_zone', fm11(4, insts=inst_apply('ffff0018000023200007000f0001d4020000000000000001')))
add('reg_load in OF1.5', fm11(6, insts=inst_apply('ffff0018000023200007000f0001000400000000000000ff')))
add('reg_load tcp_src without tcp', fm11(4, insts=inst_apply('ffff0018000023200007000f000012020000000000000050')))
add('reg_load2 reg0', fm11(4, insts=inst_apply('ffff00180000232000210001000400000005000000000000')))
add('reg_load2 masked reg0', fm11(4, insts=inst_apply('ffff0018000023200021000100050000000500000fff0000')))
add('reg_load2 non-zero padding', fm11(4, insts=inst_apply('ffff00180000232000210001000400000005000000000001')))
add('reg_move reg0->reg1', fm11(4, insts=inst_apply('ffff00180000232000060020000000000001000400010204')))
add('reg_move non-zero padding', fm11(4, insts=inst_apply('ffff0020000023200006002000000000000100040001020400000000000000ff')))
add('reg_move src range beyond', fm11(4, insts=inst_apply('ffff00180000232000060020000800000001000400010204')))
add('reg_move to read-only eth_type', fm11(4, insts=inst_apply('ffff00180000232000060010000000000001000400000602')))
add('reg_move masked src header', fm11(4, insts=inst_apply('ffff00180000232000060020000000000001010800010204')))
add('reg_move unknown src', fm11(4, insts=inst_apply('ffff00180000232000060020000000000001fe0400010204')))
add('reg_move zero bits', fm11(4, insts=inst_apply('ffff00180000232000060000000000000001000400010204')))
add('copy_field in OF1.5', fm11(6, insts=inst_apply('001c0018002000000000000000010004000102040000000000000000'[:48])))
add('copy_field in OF1.3', fm11(4, insts=inst_apply('001c001800200000000000000001000400010204' + '00000000')))
add('meter action in OF1.5', fm11(6, insts=inst_apply('001d000800000001')))
add('meter action in OF1.3', fm11(4, insts=inst_apply('001d000800000001')))
add('resubmit_table non-zero pad', fm11(4, insts=inst_apply('ffff001000002320000e0001ff000100')))
add('resubmit with trailing bytes', fm11(4, insts=inst_apply('ffff001000002320000100010000000a')))
add('resubmit_table len 24', fm11(4, insts=inst_apply('ffff001800002320000efff8030000000000000000000000')))
add('note', fm11(4, insts=inst_apply('ffff0010000023200008010203040506')))
add('controller (NX) with non-zero zero byte', fm11(4, insts=inst_apply('ffff0010000023200014ffff00000001')))
add('controller2 with userdata', fm11(4, insts=inst_apply('ffff0020000023200025000000000000' + '0003000701020300' + '0000000000000000')))
add('controller2 with unknown property', fm11(4, insts=inst_apply('ffff0018000023200025000000000000' + '0009000400000000')))
add('controller2 with bad property length', fm11(4, insts=inst_apply('ffff0018000023200025000000000000' + '0000000500000000')))
add('output_reg with non-zero zero[]', fm11(4, insts=inst_apply('ffff001800002320000f001f0001000400000000000000ff')))
add('output_reg reg0', fm11(4, insts=inst_apply('ffff001800002320000f001f000100040000000000000000')))
add('set_tunnel64', fm11(4, insts=inst_apply('ffff0018000023200009000000000000' + '0000000000000064')))
add('set_tunnel', fm11(4, insts=inst_apply('ffff0010000023200002000000000064')))
add('group', fm11(4, insts=inst_apply('0016000800000001')))
add('set_queue', fm11(4, insts=inst_apply('0015000800000001')))
add('ct_clear of length 24', fm11(4, insts=inst_apply('ffff001800002320002b000000000000' + '0000000000000000')))
add('NXAST_CT of length 16', fm11(4, insts=inst_apply('ffff0010000023200023000000000000')))
add('learn (known to OVS, not implemented here)', fm11(4, insts=inst_apply('ffff0020000023200010000000000000' + '0000000000000000' + '0000000000000000')))

# ---- instructions
add('unknown instruction 7', fm11(4, insts=bytes.fromhex('0007000800000000')))
add('experimenter instruction', fm11(4, insts=bytes.fromhex('ffff000800000000')))
add('two apply-actions', fm11(4, insts=bytes.fromhex('00040008000000000004000800000000')))
add('goto_table of length 16', fm11(4, insts=bytes.fromhex('00010010010000000000000000000000')))
add('instruction length 4', fm11(4, insts=bytes.fromhex('0001000401000000')))
add('instruction length beyond', fm11(4, insts=bytes.fromhex('0004001000000000')))
add('goto_table 0 from table 0', fm11(4, insts=bytes.fromhex('0001000800000000')))
add('goto_table 5 from table 2', fm11(4, table=2, insts=bytes.fromhex('0001000805000000')))
add('goto_table 2 from table 2', fm11(4, table=2, insts=bytes.fromhex('0001000802000000')))
add('write_actions with controller', fm11(4, insts=bytes.fromhex('0003001800000000' + '00000010fffffffdffff000000000000')))
add('write_actions with output', fm11(4, insts=bytes.fromhex('0003001800000000' + '0000001000000002ffff000000000000')))
add('write_actions with note', fm11(4, insts=bytes.fromhex('0003001800000000' + 'ffff0010000023200008010203040506')))
add('meter instruction', fm11(4, insts=bytes.fromhex('0006000800000001')))
add('clear_actions of length 16', fm11(4, insts=bytes.fromhex('00050010000000000000000000000000')))
add('write_metadata', fm11(4, insts=bytes.fromhex('000200180000000000000000000000110000000000000ff0')))
add('write_metadata of length 16', fm11(4, insts=bytes.fromhex('00020010000000000000000000000011')))
add('all instructions in reverse order', fm11(4, insts=bytes.fromhex('0001000805000000' + '000200180000000000000000000000010000000000000001'
                                                                     + '0005000800000000' + '0004000800000000' + '0006000800000001')))

# ---- flow_mod fields
add('flow_mod length not a multiple of 8', fm11(4, insts=b'\0\0\0\0', length=None))
add('command 5', fm11(4, cmd=5))
add('add to table 255', fm11(4, table=255))
add('delete from table 255', fm11(4, table=255, cmd=3))
add('flags 0x20 unknown', fm11(4, flags=0x20))
add('flags all five in OF1.3', fm11(4, flags=0x1f))
add('flags no_pkt_counts in OF1.4', fm11(5, flags=0x08))
add('out_port 0x80000000', fm11(4, cmd=3, out_port=0x80000000))
add('importance in OF1.4', fm11(5, importance=7))

# ---- OpenFlow 1.0
add('OF1.0 dec_ttl (NX 18) and output', fm10('ffff0010000023200012000000000000' + '000000080002ffff'))
add('OF1.0 action type 12 unknown', fm10('000c000800000000'))
add('OF1.0 set_vlan_vid 0x1000', fm10('0001000810000000'))
add('OF1.0 set_vlan_pcp 8', fm10('0002000808000000'))
add('OF1.0 set_nw_src without ip (tolerated in 1.0)', fm10('000600080a000001'))
add('OF1.0 enqueue port 1 queue 2', fm10('000b0010000100000000000000000002'))
add('OF1.0 output port 0xff00', fm10('00000008ff00ffff'))
add('OF1.0 output to CONTROLLER', fm10('00000008fffdffff'))
add('OF1.0 emergency flow with idle timeout', fm10('', flags=4, idle=10))
add('OF1.0 emergency flow without timeouts', fm10('', flags=4))
add('OF1.0 flags 0x8 unknown', fm10('', flags=8))
add('OF1.0 command 7', fm10('', cmd=7))
add('OF1.0 set_field (OF1.2+ only)', fm10('00190010800016040a00000100000000'))
add('OF1.0 reg_load reg0', fm10('ffff0018000023200007000f0001000400000000000000ff'))
add('OF1.0 NX group (40)', fm10('ffff00100000232000280000' + '00000001'))
add('OF1.0 NX push_mpls (23)', fm10('ffff0010000023200017884700000000'))
add('OF1.0 NX set_queue (4)', fm10('ffff0010000023200004000000000005'))
add('NXT_FLOW_MOD add matching the cookie', nxt_fm('00013d10' + '0000000000000001' + 'ffffffffffffffff', ''))
add('NXT_FLOW_MOD delete matching the cookie', nxt_fm('00013d10' + '0000000000000001' + 'ffffffffffffffff', '', cmd=3))
add('NXT_FLOW_MOD match_len beyond message', nxt_fm('0001000400000005', '', match_len=64))
add('NXT_FLOW_MOD with an OXM-class field', nxt_fm('800000040000000a', ''))
add('NXT_FLOW_MOD reg0 and ct_state', nxt_fm('0001000400000005' + '0001d20400000020', ''))
add('NXT_FLOW_MOD ip_src without eth_type', nxt_fm('00000e040a000001', ''))
add('NXT_FLOW_MOD duplicate cookie', nxt_fm('00013c08' + '0000000000000001' + '00013c08' + '0000000000000002', '', cmd=3))
add('NXT_FLOW_MOD in_port (NXM) 0xfffe', nxt_fm('00000002fffe', ''))

# ---- OF1.5
add('OF1.5 copy_field reg0->reg1', fm11(6, insts=inst_apply('001c0018002000000000000000010004000102040000000000000000'[:48])))
add('OF1.5 masked set_field ct_label (outside ct)', fm11(6, insts=inst_apply('00190028' + '0001d920' + '00' * 15 + '01' + '00' * 15 + '01' + '000000000000')))
add('OF1.5 xreg0 masked', fm11(6, '80010110' + '0000000500000010' + 'ffffffff000000ff'))


def verdict(msg):
    out = subprocess.run(['ovs-ofctl', 'ofp-print', msg.hex()], capture_output=True, text=True)
    text = out.stdout + out.stderr
    m = re.search(r'\*\*\*decode error: (\w+)\*\*\*', text)
    if m:
        return m.group(1)
    first = out.stdout.splitlines()[0] if out.stdout else ''
    if 'FLOW_MOD' in first:
        return 'OK'
    return 'UNPARSED:' + first[:60].replace(' ', '_')


lines = ['# Edge cases and malformed messages, each with the verdict of ovs-ofctl 3.1 ofp-print',
         '# (generated by src/test/tools/gen_ofp_print_cases.py; OK = decoded without error).', '']
for desc, msg in cases:
    v = verdict(msg)
    lines.append(f'# EXPECT {v} {desc}')
    lines.append(msg.hex())
    lines.append('')
open('src/test/resources/golden/ofp-print-cases.txt', 'w').write('\n'.join(lines))
print(len(cases), 'cases')
