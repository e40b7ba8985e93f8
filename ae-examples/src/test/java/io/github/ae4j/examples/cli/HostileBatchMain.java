package io.github.ae4j.examples.cli;

import io.github.ae4j.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Child program for {@link HostileInputTest}: runs many command lines one after the other in one
 * small-heap JVM (each as {@code ae4j} would, with everything it prints to standard error captured,
 * log lines included), and writes each one's exit code and standard error as a JSON line.
 */
public final class HostileBatchMain {

    private HostileBatchMain() {
    }

    /**
     * Runs.
     *
     * @param args the cases file (one JSON array of arguments a line) and the results file
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        PrintStream realErr = System.err;
        List<String> results = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] a = Json.MAPPER.readValue(line, String[].class);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setErr(e);       // log lines (slf4j-simple writes to the current System.err) are counted too
            int code;
            try {
                code = Ae4jCli.run(new PrintStream(out, true, StandardCharsets.UTF_8), e, a);
            } catch (Throwable t) {
                t.printStackTrace(e);
                code = -1;
            } finally {
                System.setErr(realErr);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("code", code);
            r.put("err", err.toString(StandardCharsets.UTF_8));
            results.add(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
            Files.write(Path.of(args[1]), results);
        }
    }
}
