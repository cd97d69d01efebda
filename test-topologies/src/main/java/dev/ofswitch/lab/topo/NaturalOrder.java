package dev.ofswitch.lab.topo;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Mininet's "natural" order of names: {@code h2} before {@code h10}, {@code h1s2} before {@code h2s1}.
 *
 * <p>As {@code natural()} in Mininet's {@code mininet/util.py}: a name is cut into runs of digits and runs of
 * everything else ({@code re.split(r'(\d+)', text)}, so the list always starts with a possibly empty text run and
 * alternates), digit runs compare as numbers and text runs as strings, element by element, and a list that is a
 * prefix of another comes first. Mininet sorts with it in {@code Topo.sorted()} (hosts and switches) and
 * {@code Topo.links(sort=True)} (links, by their two node names), which decides the order in which
 * {@code Mininet.buildFromTopo()} creates nodes and links, hands out IP addresses and prints {@code net} and
 * {@code links}. Python's sort is stable and so is {@link java.util.List#sort}.
 *
 * <p>Names are ASCII in this package (validation sees to it), so Python's {@code str.isdigit()} and string
 * comparison agree with {@code '0'..'9'} and {@link String#compareTo}.
 */
final class NaturalOrder implements Comparator<String> {
    static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        List<String> x = split(a);
        List<String> y = split(b);
        int n = Math.min(x.size(), y.size());
        for (int i = 0; i < n; i++) {
            // Odd positions hold digit runs: the split alternates text, digits, text, ...
            int c = (i % 2 == 1) ? new BigInteger(x.get(i)).compareTo(new BigInteger(y.get(i)))
                    : x.get(i).compareTo(y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    /** {@code re.split(r'(\d+)', s)}: text, digits, text, ..., text (text runs may be empty). */
    static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            if (isDigit(s.charAt(i))) {
                int j = i;
                while (j < s.length() && isDigit(s.charAt(j))) {
                    j++;
                }
                parts.add(s.substring(start, i));
                parts.add(s.substring(i, j));
                start = j;
                i = j;
            } else {
                i++;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
