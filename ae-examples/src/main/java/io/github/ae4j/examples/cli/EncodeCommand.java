package io.github.ae4j.examples.cli;

import io.github.ae4j.core.Autoencoder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ae4j encode}: latent codes, one CSV row per data row. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Write the latent code of every row (CSV: row[,id],z0,z1,...): for plots and as features for other models.")
final class EncodeCommand implements Callable<Integer> {

    @ParentCommand
    Ae4jCli cli;

    @Mixin
    ModelRowsOptions rows;

    @Override
    public Integer call() throws Exception {
        Autoencoder m = Models.model(rows.model);
        Dataset d = rows.load(m);
        INDArray z = m.encode(d.x());
        write(cli, rows.out, d, z, "z");
        return 0;
    }

    static void write(Ae4jCli cli, Path out, Dataset d, INDArray values, String prefix) throws java.io.IOException {
        write(cli, out, d, values, null, prefix);
    }

    static void write(Ae4jCli cli, Path out, Dataset d, INDArray values, java.util.List<String> names, String prefix)
            throws java.io.IOException {
        int cols = (int) values.size(1);
        Outputs.write(out, cli.out, w -> {
            StringBuilder sb = new StringBuilder("row");
            if (d.ids() != null) {
                sb.append(",id");
            }
            for (int j = 0; j < cols; j++) {
                sb.append(',').append(Outputs.csvCell(names != null ? names.get(j) : prefix + j));
            }
            w.write(sb.append('\n').toString());
            float[] v = values.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < values.size(0); i++) {
                sb.setLength(0);
                sb.append(i);
                if (d.ids() != null) {
                    sb.append(',').append(Outputs.csvCell(d.ids()[i]));
                }
                for (int j = 0; j < cols; j++) {
                    sb.append(',').append(v[i * cols + j]);
                }
                w.write(sb.append('\n').toString());
            }
        });
    }
}
