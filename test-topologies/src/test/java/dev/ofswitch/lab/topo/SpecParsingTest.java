package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Topologies#parseSpec(String, boolean)} against {@code mn --topo}: {@code splitArgs()} and
 * {@code buildTopo()} in {@code mininet/util.py}, the {@code TOPOS} table and {@code TOPODEF} in {@code bin/mn},
 * and the defaults of each {@code build()}.
 */
class SpecParsingTest {

    private static String name(String spec) {
        return Topologies.parseSpec(spec, false).name();
    }

    private static String error(String spec) {
        return assertThrows(TopologyException.class, () -> Topologies.parseSpec(spec, false)).getMessage();
    }

    @Test
    void names_areMnsTopos() {
        assertEquals(List.of("linear", "minimal", "reversed", "single", "torus", "tree"), Topologies.names());
        assertEquals("minimal", Topologies.DEFAULT_SPEC);
    }

    @Test
    void defaults_areThoseOfEachBuildMethod() {
        assertEquals("minimal", name("minimal"));
        assertEquals("single,2", name("single"));
        assertEquals("reversed,2", name("reversed"));
        assertEquals("linear,2", name("linear"));
        assertEquals("tree,1,2", name("tree"));
    }

    @Test
    void positionalArguments_fillParametersInOrder() {
        assertEquals("linear,4", name("linear,4"));
        assertEquals("linear,4,3", name("linear,4,3"));
        assertEquals("tree,2,3", name("tree,2,3"));
        assertEquals("torus,3,4", name("torus,3,4"));
        assertEquals("torus,3,4,2", name("torus,3,4,2"));
    }

    @Test
    void keywordArguments_fillParametersByName() {
        assertEquals("tree,2,3", name("tree,depth=2,fanout=3"));
        assertEquals("tree,2,3", name("tree,fanout=3,depth=2"));
        assertEquals("tree,1,3", name("tree,fanout=3"));
        assertEquals("linear,3,2", name("linear,n=2,k=3"));
        assertEquals("single,5", name("single,k=5"));
        assertEquals("torus,4,3", name("torus,y=3,x=4"));
    }

    @Test
    void positionalAndKeywordArguments_mixAsInSplitArgs() {
        // splitArgs() takes every argument without '=' as positional, wherever it is.
        assertEquals("linear,3,2", name("linear,n=2,3"));
        assertEquals("tree,2,3", name("tree,2,fanout=3"));
    }

    @Test
    void spaces_aroundArguments_areIgnored() {
        assertEquals("linear,3", name(" linear , 3 "));
        assertEquals("tree,2,2", name("tree, depth = 2 ,fanout=2"));
    }

    @Test
    void macFlag_isApplied() {
        assertEquals("00:00:00:00:00:02",
                ((Host) Topologies.parseSpec("minimal", true).node("h2").orElseThrow()).mac());
    }

    @Test
    void unknownTopology_listsTheBuiltIns() {
        assertEquals("topology spec \"star,3\": unknown topology \"star\"; the built-ins are linear, minimal, "
                + "reversed, single, torus, tree (a JSON file is loaded by path)", error("star,3"));
        assertEquals("topology spec \"\": no topology name; the built-ins are linear, minimal, reversed, single, "
                + "torus, tree (a JSON file is loaded by path)", error(""));
        assertEquals("topology spec \"Linear,3\": unknown topology \"Linear\"; the built-ins are linear, minimal, "
                + "reversed, single, torus, tree (a JSON file is loaded by path)", error("Linear,3"));
    }

    @Test
    void nonIntegerArguments_areRejected() {
        assertEquals("topology spec \"linear,x\": k must be a whole number, got \"x\"", error("linear,x"));
        assertEquals("topology spec \"linear,2.5\": k must be a whole number, got \"2.5\"", error("linear,2.5"));
        assertEquals("topology spec \"tree,depth=\": depth must be a whole number, got \"\"", error("tree,depth="));
        assertEquals("topology spec \"linear,\": k must be a whole number, got \"\"", error("linear,"));
        assertEquals("topology spec \"single,99999999999\": k must be a whole number, got \"99999999999\"",
                error("single,99999999999"));
    }

    @Test
    void tooManyArguments_areRejected() {
        assertEquals("topology spec \"linear,2,2,2\": linear takes at most 2 arguments (k, n), got 3",
                error("linear,2,2,2"));
        assertEquals("topology spec \"minimal,3\": minimal takes no arguments, got 1", error("minimal,3"));
    }

    @Test
    void unknownOrRepeatedParameters_areRejected() {
        assertEquals("topology spec \"tree,depth=2,fanot=2\": tree has no parameter \"fanot\" (its parameters: depth, "
                + "fanout)", error("tree,depth=2,fanot=2"));
        assertEquals("topology spec \"minimal,k=2\": minimal has no parameter \"k\"", error("minimal,k=2"));
        assertEquals("topology spec \"linear,3,k=4\": k is given twice", error("linear,3,k=4"));
    }

    @Test
    void countsBelowTheirMinimum_areRejected() {
        assertEquals("topology spec \"single,0\": k must be at least 1, got 0", error("single,0"));
        assertEquals("topology spec \"reversed,-1\": k must be at least 1, got -1", error("reversed,-1"));
        assertEquals("topology spec \"linear,3,0\": n must be at least 1, got 0", error("linear,3,0"));
        assertEquals("topology spec \"tree,0\": depth must be at least 1, got 0", error("tree,0"));
        assertEquals("topology spec \"tree,2,0\": fanout must be at least 1, got 0", error("tree,2,0"));
        assertEquals("topology spec \"torus,3,3,0\": n must be at least 1, got 0", error("torus,3,3,0"));
    }

    @Test
    void torus_needsAtLeast3x3AsInMininet() {
        assertEquals("topology spec \"torus\": torus needs x and y, e.g. torus,3,3", error("torus"));
        assertEquals("topology spec \"torus,3\": torus needs y, e.g. torus,3,3", error("torus,3"));
        assertEquals("topology spec \"torus,2,3\": x must be at least 3, got 2 (Mininet's TorusTopo: \"Please use 3x3 "
                + "or greater for compatibility with 2.1\")", error("torus,2,3"));
        assertEquals("topology spec \"torus,y=2,x=3\": y must be at least 3, got 2 (Mininet's TorusTopo: \"Please use "
                + "3x3 or greater for compatibility with 2.1\")", error("torus,y=2,x=3"));
    }

    @Test
    void hugeTopologies_areRejectedBeforeBuilding() {
        String tooBig = ": too big: more than 10000 nodes, the most the lab runs";
        assertEquals("topology spec \"tree,10,10\"" + tooBig, error("tree,10,10"));
        assertEquals("topology spec \"tree,depth=999999999,fanout=1\"" + tooBig,
                error("tree,depth=999999999,fanout=1"));
        assertEquals("topology spec \"torus,999999999,999999999,999999999\"" + tooBig,
                error("torus,999999999,999999999,999999999"));
        assertEquals("topology spec \"single,10000\"" + tooBig, error("single,10000"));
        assertEquals(10_000, Topologies.parseSpec("single,9999", false).hosts().size() + 1);
    }

    @Test
    void directCalls_checkTheirArgumentsToo() {
        assertEquals("topology \"torus,2,3,1\": x must be at least 3, got 2 (Mininet's TorusTopo: \"Please use 3x3 or "
                + "greater for compatibility with 2.1\")",
                assertThrows(TopologyException.class, () -> Topologies.torus(2, 3, 1)).getMessage());
        assertEquals("topology \"single,0\": k must be at least 1, got 0",
                assertThrows(TopologyException.class, () -> Topologies.single(0)).getMessage());
    }
}
