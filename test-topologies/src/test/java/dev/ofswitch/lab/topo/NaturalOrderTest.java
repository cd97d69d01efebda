package dev.ofswitch.lab.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NaturalOrder} against what Mininet's {@code sorted(items, key=natural)} gives. */
class NaturalOrderTest {

    private static List<String> sorted(String... names) {
        List<String> l = new ArrayList<>(List.of(names));
        l.sort(NaturalOrder.INSTANCE);
        return l;
    }

    @Test
    void split_isPythonsReSplitOnDigitRuns() {
        assertEquals(List.of("h", "1", ""), NaturalOrder.split("h1"));
        assertEquals(List.of("s", "1", "x", "12", ""), NaturalOrder.split("s1x12"));
        assertEquals(List.of("h"), NaturalOrder.split("h"));
        assertEquals(List.of("", "1", "h"), NaturalOrder.split("1h"));
        assertEquals(List.of(""), NaturalOrder.split(""));
    }

    @Test
    void numbers_compareByValue() {
        assertEquals(List.of("h1", "h2", "h10", "h100"), sorted("h10", "h100", "h2", "h1"));
    }

    @Test
    void linearHostNames_sortByHostNumberFirst() {
        assertEquals(List.of("h1s1", "h1s2", "h1s10", "h2s1", "h2s2"), sorted("h2s1", "h1s10", "h1s2", "h2s2", "h1s1"));
    }

    @Test
    void torusNames_sortByRowThenColumn() {
        assertEquals(List.of("s1x1", "s1x2", "s1x10", "s2x1", "s10x1"),
                sorted("s10x1", "s1x10", "s2x1", "s1x2", "s1x1"));
    }

    @Test
    void text_comparesAsStrings_andAPrefixComesFirst() {
        assertEquals(List.of("a1", "b1", "h", "h1", "h1a", "h1x1", "s1"), sorted("s1", "h1x1", "h1a", "h1", "h", "b1",
                "a1"));
        assertTrue(NaturalOrder.INSTANCE.compare("H1", "h1") < 0);
    }

    @Test
    void leadingZeros_compareEqualAsInPython() {
        assertEquals(0, NaturalOrder.INSTANCE.compare("h01", "h1"));
    }

    @Test
    void hugeNumbers_compareByValue() {
        assertTrue(NaturalOrder.INSTANCE.compare("h99999999999999999999", "h100000000000000000000") < 0);
    }
}
