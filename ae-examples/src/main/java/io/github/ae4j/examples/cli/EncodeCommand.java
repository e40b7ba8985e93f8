package io.github.ae4j.examples.cli;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.data.CsvOptions;
import io.github.ae4j.core.data.CsvReader;
import io.github.ae4j.core.data.Idx;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j encode}: latent codes, one CSV row per data row. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"Write the latent code of every row (CSV: row[,id],z0,z1,...): for plots and as features for"
                + " other models.", "CSV input is streamed (bounded memory)."})
final class EncodeCommand implements Callable<Integer>, OptionChecks.Checked {

    /** Rows per batch. */
    static final int BATCH = 4096;

    @ParentCommand
    Ae4jCli cli;

    @Mixin
    ModelRowsOptions rows;

    @Override
    public void checkOptions() {
        rows.check();
    }

    @Override
    public Integer call() throws Exception {
        Autoencoder m = Models.model(rows.model);
        run(cli, rows, m, m::encode, null, "z");
        return 0;
    }

    /**
     * Runs a model over {@code --data} in batches and writes one output row per data row: a CSV table with a
     * schema is streamed ({@link CsvReader#stream}: bounded memory, columns matched by name); images and IDX files
     * are read whole, as for training.
     *
     * @param names  the output columns, or null for {@code prefix0, prefix1, ...}
     * @param prefix the column-name prefix when {@code names} is null
     */
    static void run(Ae4jCli cli, ModelRowsOptions rows, Autoencoder m, UnaryOperator<INDArray> f, List<String> names,
                    String prefix) throws IOException {
        CliGuards.outputIsNotAnInput("--out", rows.out, "--model", rows.model, "--data", rows.data);
        if (!Files.exists(rows.data)) {
            throw new java.nio.file.NoSuchFileException(rows.data.toString(), null, "no such file or folder");
        }
        boolean csv = !Files.isDirectory(rows.data) && !Idx.isIdx(rows.data) && m.schema().isPresent();
        if (csv) {
            CsvOptions opts = CsvOptions.defaults().withLabelColumn(rows.labelColumn).withIdColumn(rows.idColumn);
            try (CsvReader.BatchStream s = CsvReader.stream(rows.data, m.schema().get(), opts, BATCH)) {
                Outputs.write(rows.out, cli.out, w -> {
                    boolean header = true;
                    while (s.hasNext()) {
                        CsvReader.Batch b = s.next();
                        INDArray v = f.apply(b.features());
                        if (header) {
                            header(w, rows.idColumn != null, (int) v.size(1), names, prefix);
                            header = false;
                        }
                        rows(w, b.firstRow(), b.ids(), v);
                    }
                    if (header) {
                        throw new IOException(rows.data + ": no data rows");
                    }
                });
            }
            return;
        }
        Dataset d = Dataset.forModel(rows.data, rows.labelColumn, rows.idColumn, m, rows.match.positional());
        Outputs.write(rows.out, cli.out, w -> {
            for (int from = 0; from < d.rows(); from += BATCH) {
                int to = Math.min(d.rows(), from + BATCH);
                INDArray v = f.apply(d.x().get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
                if (from == 0) {
                    header(w, d.ids() != null, (int) v.size(1), names, prefix);
                }
                rows(w, from, d.ids() == null ? null : java.util.Arrays.copyOfRange(d.ids(), from, to), v);
            }
        });
    }

    /** Writes rows of values with a header, for values computed elsewhere (e.g. generated samples). */
    static void write(Ae4jCli cli, java.nio.file.Path out, Dataset d, INDArray values, List<String> names,
                      String prefix) throws IOException {
        Outputs.write(out, cli.out, w -> {
            header(w, d.ids() != null, (int) values.size(1), names, prefix);
            rows(w, 0, d.ids(), values);
        });
    }

    private static void header(Writer w, boolean ids, int cols, List<String> names, String prefix)
            throws IOException {
        StringBuilder sb = new StringBuilder("row");
        if (ids) {
            sb.append(",id");
        }
        for (int j = 0; j < cols; j++) {
            sb.append(',').append(Outputs.csvCell(names != null ? names.get(j) : prefix + j));
        }
        w.write(sb.append('\n').toString());
    }

    private static void rows(Writer w, long first, String[] ids, INDArray values) throws IOException {
        int cols = (int) values.size(1);
        float[] v = values.castTo(DataType.FLOAT).dup('c').data().asFloat();
        StringBuilder sb = new StringBuilder(16 * cols);
        for (int i = 0; i < values.size(0); i++) {
            sb.setLength(0);
            sb.append(first + i);
            if (ids != null) {
                sb.append(',').append(Outputs.csvCell(ids[i]));
            }
            for (int j = 0; j < cols; j++) {
                sb.append(',').append(v[i * cols + j]);
            }
            w.write(sb.append('\n').toString());
        }
    }
}
