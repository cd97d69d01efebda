#!/usr/bin/env python3
"""Writes the seed inputs of ConnTrackerFuzzTest (src/test/resources/dev/ofswitch/conntrack/ConnTrackerFuzzTestInputs/
script_verdictsAreConsistentAndTheTableBalances/): one script per oracle case, in the record format the test's javadoc
describes, from the packet scripts (packets.hex.txt) of

  oracle-<name>        ../shared/oracle/examples/* and ../shared/oracle/cases/* (real OVS 3.1's verdicts exist for them)
  ctactions-<name>     ../ct-actions/src/test/resources/oracle/*
  adhoc-<name>         src/test/resources/oracle-adhoc/*

Each "in_port=P hex" becomes a ct(commit) packet in zone P - 1 (zone P - 1 with nat(src) for the nat cases' port-1
packets), "sleep N" a warp of about N seconds, "dump" a dump and "flush ..." a full flush. The scripts' flow tables are
not used: the fuzzer varies the ct() arguments itself.  Inputs found by fuzzing (crash-*) are not touched.
Run from the conntrack module directory:  python3 src/test/tools/make_fuzz_seeds.py [SHARED_ORACLE_DIR]
"""
import math
import pathlib
import sys

oracle = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '../../shared/oracle')
if not oracle.is_dir():
    oracle = pathlib.Path('/work/shared/oracle')
out = pathlib.Path('src/test/resources/dev/ofswitch/conntrack/ConnTrackerFuzzTestInputs/'
                   'script_verdictsAreConsistentAndTheTableBalances')
out.mkdir(parents=True, exist_ok=True)
for old in out.iterdir():
    if not old.name.startswith('crash-'):
        old.unlink()

COMMIT, NAT = 0x08, 0x40


def script(path, nat):
    data = bytearray()
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line.startswith('in_port='):
            port, frame = line[len('in_port='):].split(' ', 1)
            frame = bytes.fromhex(frame.replace(' ', ''))
            op = COMMIT | (NAT if nat and port == '1' else 0)
            data += bytes([op, (int(port) - 1) % 4]) + len(frame).to_bytes(2, 'big') + frame
        elif line.startswith('sleep ') or line.startswith('warp '):
            seconds = int(line.split()[1]) / (1000 if line.startswith('warp') else 1)
            data += bytes([4, min(255, math.ceil(math.sqrt(seconds / 2)))])
        elif line.startswith('dump'):
            data += bytes([6, 0])
        elif line.startswith('flush'):
            data += bytes([5, 0])
    return bytes(data)


n = 0
sources = [('oracle', d) for d in sorted((oracle / 'examples').glob('*/packets.hex.txt'))]
sources += [('oracle', d) for d in sorted((oracle / 'cases').glob('*/packets.hex.txt'))]
sources += [('ctactions', d) for d in sorted(pathlib.Path('../ct-actions/src/test/resources/oracle')
                                           .glob('*/packets.hex.txt'))]
sources += [('adhoc', d) for d in sorted(pathlib.Path('src/test/resources/oracle-adhoc').glob('*/packets.hex.txt'))]
for prefix, path in sources:
    name = path.parent.name
    (out / f'{prefix}-{name}').write_bytes(script(path, 'nat' in name))
    n += 1
print(f'{n} scripts in {out}', file=sys.stderr)
