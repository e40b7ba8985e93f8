package io.github.ae4j.examples.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j serve}: an HTTP scoring server for one detector. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a detector over HTTP: POST /score (JSON {\"rows\": [[cells...], ...]} or",
                "text/csv) returns {\"threshold\", \"rows\": [...]} with the rows of ae4j score --format json",
                "(row, score, anomaly, p_value; ?explain=K adds explanation); GET /health; GET /model.",
                "A window (time-series) model scores each request as one block of >= window",
                "consecutive rows, per point as ae4j score scores a file of those rows.",
                "A replaced model file is reloaded without dropping requests. NO AUTHENTICATION:",
                "it binds to 127.0.0.1 unless --host says otherwise. SIGTERM/SIGINT stop it",
                "gracefully (requests in flight finish)."})
final class ServeCommand implements Callable<Integer>, OptionChecks.Checked {

    @ParentCommand
    Ae4jCli cli;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A detector saved by ae4j train (trained on CSV rows).")
    Path model;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080", description = "Port (0: any free one; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}, loopback only).")
    String host;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8", description = "Request threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Largest request body (default ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000", description = "Most rows per request (default ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--reload-ms", paramLabel = "MS", defaultValue = "1000",
            description = "How often to look for a replaced model file, 0 = never (default ${DEFAULT-VALUE}).")
    long reloadMillis;

    @Override
    public void checkOptions() {
        OptionChecks.range("--port", port, 0, 65535);
        OptionChecks.range("--threads", threads, 1, 1024);
        OptionChecks.atLeast("--max-body", maxBody, 1);
        OptionChecks.atLeast("--max-rows", maxRows, 1);
        OptionChecks.range("--reload-ms", reloadMillis, 0, 86_400_000);
    }

    @Override
    public Integer call() throws Exception {
        InetAddress addr;
        try {
            addr = InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new UsageException("--host " + host + ": unknown host");
        }
        if (!addr.isLoopbackAddress()) {
            cli.err.println("ae4j serve: WARNING: bound to " + host + ", reachable from other machines; the server has"
                    + " no authentication");
        }
        ScoringServer s = new ScoringServer(model, host, port, threads, maxBody, maxRows, reloadMillis, cli.err);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            s.stop(10);
            done.countDown();
        }, "ae4j-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        cli.err.println("ae4j serve: listening on http://" + s.address().getHostString() + ":" + s.port()
                + " (model " + model + ")");
        cli.err.flush();
        done.await();
        return 0;
    }
}
