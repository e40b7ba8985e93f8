package io.github.ae4j.examples.cli;

import io.github.ae4j.core.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes command output to a file (atomically: temporary file, then move) or to stdout. */
final class Outputs {

    private Outputs() {
    }

    /** Writes text. */
    @FunctionalInterface
    interface Body {
        void write(Writer w) throws IOException;
    }

    static void write(Path file, PrintStream stdout, Body body) throws IOException {
        if (file == null || file.toString().equals("-")) {
            Writer w = new BufferedWriter(new OutputStreamWriter(new NonClosing(stdout), StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
            return;
        }
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
        });
    }

    static String csvCell(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static final class NonClosing extends OutputStream {
        private final PrintStream out;

        NonClosing(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
