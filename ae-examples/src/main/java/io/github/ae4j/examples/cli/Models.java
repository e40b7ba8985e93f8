package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.data.DataKind;
import io.github.ae4j.core.ModelFile;
import java.io.IOException;
import java.nio.file.Path;

/** Loading detectors and models for the commands, and what the command line records in them. */
final class Models {

    private Models() {
    }

    /** The image shape the model was trained on, or null. */
    static int[] imageShape(Autoencoder m) {
        return m.data().imageShape();
    }

    /**
     * Loads a detector of table rows or images; a window (time-series) detector is refused, naming the
     * commands that take one.
     */
    static AnomalyDetector detector(Path p) throws IOException {
        AnomalyDetector d = AnomalyDetector.load(p);
        refuseWindowModel(p, d);
        return d;
    }

    /** Loads a detector of any kind, window models included (score, evaluate). */
    static AnomalyDetector anyDetector(Path p) throws IOException {
        return AnomalyDetector.load(p);
    }

    /** Refuses a window (time-series) detector in a command that scores rows one by one. */
    static void refuseWindowModel(Path p, AnomalyDetector d) {
        if (WindowModel.of(d.model()).isPresent()) {
            throw new UsageException(p + ": a window (time-series) model: this command does not take window models"
                    + " yet (ae4j score, evaluate, calibrate, stream and info do)");
        }
    }

    /** Loads a model of table rows or images (encode, reconstruct, generate); a window model is refused. */
    static Autoencoder model(Path p) throws IOException {
        Autoencoder m = ModelFile.read(p).model();
        if (WindowModel.of(m).isPresent()) {
            throw new UsageException(p + ": a window (time-series) model: this command does not take window models"
                    + " yet (ae4j score, evaluate, calibrate, stream and info do)");
        }
        return m;
    }
}
