package io.github.ae4j.spark;

/**
 * A seeded pseudo-random permutation of {@code [0, n)} computed element by element, in constant
 * memory (a 4-round Feistel network on the next power of two, with cycle walking), so that
 * executors can agree on a global shuffle without shipping an array. Serializable by value.
 */
final class Permutation implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final long n;
    private final int halfBits;
    private final long mask;
    private final long[] keys;

    Permutation(long n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        this.n = n;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
        bits += bits & 1;
        this.halfBits = bits / 2;
        this.mask = (1L << halfBits) - 1;
        this.keys = new long[4];
        long s = seed;
        for (int i = 0; i < keys.length; i++) {
            s += 0x9E3779B97F4A7C15L;
            keys[i] = mix(s);
        }
    }

    long apply(long i) {
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException("index " + i + " outside [0, " + n + ")");
        }
        long x = i;
        do {
            x = encrypt(x);
        } while (x >= n);
        return x;
    }

    private long encrypt(long x) {
        long l = x >>> halfBits;
        long r = x & mask;
        for (long k : keys) {
            long t = l ^ (mix(r ^ k) & mask);
            l = r;
            r = t;
        }
        return (l << halfBits) | r;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
