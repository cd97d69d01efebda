package dev.ofswitch.ofswitch.table;

/** Small helpers on {@code long[]} keys, for the control path. */
final class Keys {
    private Keys() {}

    static void check(long[] words, int keyWords, String what) {
        if (words.length != keyWords) {
            throw new IllegalArgumentException(what + " has " + words.length + " words, expected " + keyWords);
        }
    }

    /** Whether {@code v} has no bit set outside {@code mask}. */
    static boolean isMasked(long[] v, long[] mask) {
        for (int i = 0; i < v.length; i++) {
            if ((v[i] & ~mask[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    static long[] and(long[] a, long[] b) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] & b[i];
        }
        return out;
    }
}
