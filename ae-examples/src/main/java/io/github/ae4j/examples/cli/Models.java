package io.github.ae4j.examples.cli;

import io.github.ae4j.anomaly.AnomalyDetector;
import io.github.ae4j.core.Autoencoder;
import io.github.ae4j.core.io.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Loading detectors and models for the commands, and what the command line records in them. */
final class Models {

    /** Extras key: what kind of data the model was trained on. */
    static final String DATA = "ae4j.cli.data";

    private Models() {
    }

    /** Records the schema (CSV) and the kind of data (table, or image and its shape) in the detector. */
    static AnomalyDetector tag(AnomalyDetector det, Dataset d) {
        AnomalyDetector t = d.schema() != null ? det.withSchema(d.schema()) : det;
        if (d.isImage()) {
            return t.withExtra(DATA, Map.of("type", "image", "image", List.of(d.imageShape()[0], d.imageShape()[1],
                    d.imageShape()[2])));
        }
        return t.withExtra(DATA, Map.of("type", "table"));
    }

    /** The image shape the model was trained on, or null. */
    @SuppressWarnings("unchecked")
    static int[] imageShape(Autoencoder m) {
        Object o = m.info().extras() == null ? null : m.info().extras().get(DATA);
        if (o instanceof Map<?, ?> map && map.get("image") instanceof List<?> l && l.size() == 3) {
            return ((List<Number>) l).stream().mapToInt(Number::intValue).toArray();
        }
        int[] s = m.inputShape();
        return s.length == 3 ? s : null;
    }

    static AnomalyDetector detector(Path p) throws IOException {
        return AnomalyDetector.load(p);
    }

    static Autoencoder model(Path p) throws IOException {
        return ModelFile.read(p).model();
    }
}
