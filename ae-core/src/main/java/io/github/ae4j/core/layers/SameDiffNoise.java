package io.github.ae4j.core.layers;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Keeps ND4J's SameDiff from writing to standard output. SameDiff 1.0.0-M2.1 prints one line
 * ({@code "Added differentiated op ..."}) per operation with {@code System.out.println} when it
 * builds a gradient function, which would corrupt the output of programs that write data to
 * standard output (such as {@code ae4j score}). Code that builds gradient functions runs through
 * {@link #quietly}: those lines are dropped, anything else passes through.
 */
public final class SameDiffNoise {

    private static final String NOISE = "Added differentiated op ";

    private SameDiffNoise() {
    }

    /**
     * Runs {@code work} with SameDiff's lines filtered out of standard output.
     *
     * @param work the work
     */
    public static void quietly(Runnable work) {
        quietly(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} with SameDiff's lines filtered out of standard output.
     *
     * @param work the work
     * @param <T>  its result
     * @return the result
     */
    public static synchronized <T> T quietly(Supplier<T> work) {
        PrintStream original = System.out;
        PrintStream filtered = new PrintStream(new LineFilter(original), true, StandardCharsets.UTF_8);
        System.setOut(filtered);
        try {
            return work.get();
        } finally {
            System.setOut(original);
            filtered.close();
        }
    }

    /** Passes whole lines through to a stream, except the noise. */
    private static final class LineFilter extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        private void emit() {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (!s.startsWith(NOISE)) {
                target.print(s);
            }
        }

        @Override
        public synchronized void flush() {
            String s = line.toString(StandardCharsets.UTF_8);
            if (!s.isEmpty() && !NOISE.startsWith(s) && !s.startsWith(NOISE)) {
                line.reset();
                target.print(s);
            }
            target.flush();
        }

        @Override
        public synchronized void close() {
            emit();
            target.flush();
        }
    }
}
