package io.github.ae4j.core.data;

import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.TrainingConfig;
import io.github.ae4j.core.testing.Models;
import java.nio.file.Path;

/**
 * Child-JVM program for the large-file test: infers a schema from the first rows of a CSV, trains
 * one epoch streamed from the file, saves the model, and prints the number of training rows.
 */
public final class StreamTrainMain {

    private StreamTrainMain() {
    }

    /**
     * Runs.
     *
     * @param args input CSV, model file
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        TabularSchema schema = CsvReader.inferSchema(csv, CsvOptions.defaults(), 10_000);
        long[] rows = new long[2];
        Autoencoder m = Autoencoder.fit(Models.dense(schema.featureCount(), 16, 4),
                new CsvRowSource(csv, schema, CsvOptions.defaults()),
                TrainingConfig.defaults().withEpochs(1).withBatchSize(256),
                new io.github.ae4j.core.TrainingListener() {
                    @Override
                    public void onStart(int maxEpochs, long trainRows, long validationRows) {
                        rows[0] = trainRows;
                        rows[1] = validationRows;
                    }
                }).withSchema(schema);
        m.save(Path.of(args[1]));
        System.out.println("rows=" + (rows[0] + rows[1]) + " validation=" + rows[1]);
    }
}
