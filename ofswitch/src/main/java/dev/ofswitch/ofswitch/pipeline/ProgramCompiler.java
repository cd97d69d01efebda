package dev.ofswitch.ofswitch.pipeline;

import dev.ofswitch.ofswitch.codec.Action;
import dev.ofswitch.ofswitch.codec.ErrorCode;
import dev.ofswitch.ofswitch.codec.Instruction;
import dev.ofswitch.ofswitch.codec.Instructions;
import dev.ofswitch.ofswitch.codec.Match;
import dev.ofswitch.ofswitch.codec.MatchEntry;
import dev.ofswitch.ofswitch.codec.OpenFlowException;
import dev.ofswitch.ofswitch.flow.FlowKey;
import dev.ofswitch.ofswitch.flow.MatchField;
import dev.ofswitch.ofswitch.table.FlowTables;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles decoded instructions and actions into {@link Program}s and {@link Ops} once, when a flow (or a group, or a
 * packet-out) is installed, so the datapath never looks at wire objects again. Stateless.
 */
public final class ProgramCompiler implements FlowTables.Compiler {
    /** The VLAN "present" bit in vlan_tci / vlan_vid. */
    private static final int VLAN_PRESENT = 0x1000;

    @Override
    public Object compile(Instructions ins, int tableId, Match match, int version) throws OpenFlowException {
        Ops.Op[] apply = Program.NONE;
        Ops.Op[] write = null;
        boolean clear = false;
        boolean writeMetadata = false;
        long metadata = 0;
        long metadataMask = 0;
        int goTo = -1;
        for (Instruction i : ins.list()) {
            if (i instanceof Instruction.ApplyActions a) {
                apply = compileActions(a.actions().actions());
            } else if (i instanceof Instruction.WriteActions w) {
                write = compileActions(w.actions().actions());
            } else if (i instanceof Instruction.ClearActions) {
                clear = true;
            } else if (i instanceof Instruction.WriteMetadata wm) {
                writeMetadata = true;
                metadata = wm.metadata();
                metadataMask = wm.mask();
            } else if (i instanceof Instruction.GotoTable g) {
                goTo = g.tableId();
            }
            // Meter: no meters here; the instruction is accepted and has no effect.
        }
        return new Program(apply, clear, write, writeMetadata, metadata, metadataMask, goTo);
    }

    /** Compiles an action list (apply-actions, a packet-out, a group bucket). */
    public Ops.Op[] compileActions(List<Action> actions) throws OpenFlowException {
        List<Ops.Op> out = new ArrayList<>(actions.size());
        for (Action a : actions) {
            Ops.Op op = compile(a);
            if (op != null) {
                out.add(op);
            }
        }
        return out.toArray(Program.NONE);
    }

    /** Compiles an action list into an opaque program for packet-out and groups. */
    public Object compileActionList(List<Action> actions) throws OpenFlowException {
        return compileActions(actions);
    }

    private static Ops.Op compile(Action a) throws OpenFlowException {
        if (a instanceof Action.Output o) {
            return new Ops.Output(o.port(), o.maxLen());
        } else if (a instanceof Action.Group g) {
            return new Ops.Group(g.groupId());
        } else if (a instanceof Action.SetQueue) {
            return new Ops.SetQueue();
        } else if (a instanceof Action.Enqueue e) {
            return new Ops.Output(e.port(), 0);
        } else if (a instanceof Action.SetField s) {
            return setField(s.entry());
        } else if (a instanceof Action.RegLoad2 r) {
            return setField(r.entry());
        } else if (a instanceof Action.RegLoad r) {
            return new Ops.Load(r.dst(), r.ofs(), r.nBits(), r.value());
        } else if (a instanceof Action.StackPush p) {
            return new Ops.StackPush(p.field(), p.ofs(), p.nBits());
        } else if (a instanceof Action.StackPop p) {
            return new Ops.StackPop(p.field(), p.ofs(), p.nBits());
        } else if (a instanceof Action.Move m) {
            return new Ops.Move(m.src(), m.srcOfs(), m.dst(), m.dstOfs(), m.nBits());
        } else if (a instanceof Action.PushVlan p) {
            return new Ops.PushVlan(p.ethertype());
        } else if (a instanceof Action.PopVlan) {
            return new Ops.PopVlan();
        } else if (a instanceof Action.PushMpls p) {
            return new Ops.PushMpls(p.ethertype());
        } else if (a instanceof Action.PopMpls p) {
            return new Ops.PopMpls(p.ethertype());
        } else if (a instanceof Action.DecTtl d) {
            return new Ops.DecTtl(d.controllerIds().stream().mapToInt(Integer::intValue).toArray());
        } else if (a instanceof Action.SetNwTtl t) {
            return new Ops.SetNwTtl(t.ttl());
        } else if (a instanceof Action.SetMplsTtl t) {
            return new Ops.MplsTtl(t.ttl(), false);
        } else if (a instanceof Action.DecMplsTtl) {
            return new Ops.MplsTtl(0, true);
        } else if (a instanceof Action.SetLegacy l) {
            return legacy(l);
        } else if (a instanceof Action.Resubmit r) {
            return new Ops.Resubmit(r.inPort(), r.table());
        } else if (a instanceof Action.SetTunnel t) {
            return new Ops.SetTunnel(t.tunId());
        } else if (a instanceof Action.Exit) {
            return new Ops.Exit();
        } else if (a instanceof Action.OutputReg o) {
            return new Ops.OutputReg(o.src(), o.ofs(), o.nBits(), o.maxLen());
        } else if (a instanceof Action.Controller c) {
            return new Ops.Controller(c.maxLen(), c.reason(), c.controllerId(), c.userdata());
        } else if (a instanceof Action.Conntrack c) {
            return new Ops.Ct(c.ct());
        } else if (a instanceof Action.CtClear) {
            return new Ops.CtClear();
        } else if (a instanceof Action.Note || a instanceof Action.PopQueue || a instanceof Action.Meter
                || a instanceof Action.Conjunction) {
            // A clause's conjunctions are never run: the lookup never returns a clause flow. In a PACKET_OUT they
            // do nothing, as OVS's xlate ("executing no-op conjunction action").
            return null;
        }
        throw new OpenFlowException(ErrorCode.OFPBAC_BAD_TYPE, "action not supported by the datapath: " + a);
    }

    private static Ops.Op setField(MatchEntry e) {
        MatchField f = e.field();
        if (f.isWide()) {
            byte[] v = e.valueBytes();
            byte[] m = e.isMasked() ? e.maskBytes() : null;
            return new Ops.SetWideField(f, FlowKey.readValue(v, 0, 8), FlowKey.readValue(v, 8, 8),
                    m == null ? -1L : FlowKey.readValue(m, 0, 8), m == null ? -1L : FlowKey.readValue(m, 8, 8));
        }
        long mask = e.isMasked() ? e.mask() : FlowKey.allOnes(f);
        return new Ops.SetField(f, e.value(), mask);
    }

    private static Ops.Op legacy(Action.SetLegacy l) {
        MatchField f = l.field();
        if (f == MatchField.VLAN_VID) {
            // OpenFlow 1.0 set_vlan_vid tags an untagged packet (with PCP 0), as OVS does.
            return new Ops.SetField(MatchField.VLAN_TCI, (l.value() & 0xfff) | VLAN_PRESENT, 0x1fff);
        }
        if (f == MatchField.VLAN_PCP) {
            return new Ops.SetField(MatchField.VLAN_TCI, ((l.value() & 7) << 13) | VLAN_PRESENT, 0xf000);
        }
        return new Ops.SetField(f, l.value(), FlowKey.allOnes(f));
    }

    @Override
    public int[] outPorts(Instructions ins) {
        List<Integer> ports = new ArrayList<>();
        for (Instruction i : ins.list()) {
            List<Action> actions = i instanceof Instruction.ApplyActions a ? a.actions().actions()
                    : i instanceof Instruction.WriteActions w ? w.actions().actions() : List.of();
            for (Action a : actions) {
                if (a instanceof Action.Output o) {
                    ports.add(o.port());
                } else if (a instanceof Action.Enqueue e) {
                    ports.add(e.port());
                } else if (a instanceof Action.Controller) {
                    ports.add(Action.OFPP_CONTROLLER);
                }
            }
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public long[] groups(Instructions ins) {
        List<Long> groups = new ArrayList<>();
        for (Instruction i : ins.list()) {
            List<Action> actions = i instanceof Instruction.ApplyActions a ? a.actions().actions()
                    : i instanceof Instruction.WriteActions w ? w.actions().actions() : List.of();
            for (Action a : actions) {
                if (a instanceof Action.Group g) {
                    groups.add(g.groupId());
                }
            }
        }
        return groups.stream().mapToLong(Long::longValue).toArray();
    }
}
