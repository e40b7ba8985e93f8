package io.github.ae4j.anomaly;

import io.github.ae4j.core.AnomalyScorer;
import io.github.ae4j.core.AnomalyScorers;
import io.github.ae4j.core.Autoencoder;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A test scorer with a setting, registered through ServiceLoader in the test resources: the mean
 * over features of |per-feature error|^power. Checks that a detector stores a scorer as id + params
 * and re-creates it on load.
 */
public final class PowerErrorScorer implements AnomalyScorer {

    static final String ID = "test-power-error";

    private final double power;

    PowerErrorScorer(double power) {
        this.power = power;
    }

    @Override
    public double[] score(Autoencoder model, INDArray x) {
        INDArray e = Transforms.abs(model.featureErrors(x).castTo(DataType.DOUBLE));
        return Transforms.pow(e, power, false).mean(1).toDoubleVector();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("power", power);
    }

    double power() {
        return power;
    }

    /** Creates {@link PowerErrorScorer}s from stored params. */
    public static final class Factory implements AnomalyScorers.Factory {
        @Override
        public String id() {
            return ID;
        }

        @Override
        public AnomalyScorer create(Map<String, Object> params) {
            Object p = params.get("power");
            if (!(p instanceof Number n)) {
                throw new IllegalArgumentException("test-power-error needs a numeric 'power', got " + p);
            }
            return new PowerErrorScorer(n.doubleValue());
        }
    }
}
