package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.*;

import io.github.ae4j.core.testing.Synthetic;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SmokeTest {
    @TempDir Path tmp;

    @Test
    void smoke() throws Exception {
        double[][] x = Synthetic.lowRank(2000, 20, 3, 0.05, 1);
        AutoencoderSpec spec = AutoencoderSpec.of(20,
                (g, in, t) -> { g.addLayer("e1", new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build(), in); return "e1"; },
                Bottleneck.dense(3),
                (g, z, t) -> { g.addLayer("d1", new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build(), z);
                               g.addLayer("d2", new DenseLayer.Builder().nOut(20).activation(Activation.IDENTITY).build(), "d1"); return "d2"; });
        long t0 = System.nanoTime();
        Autoencoder m = Autoencoder.fit(spec, x, TrainingConfig.defaults().withEpochs(20), new TrainingListener() {
            @Override public void onEpochEnd(EpochReport r) { System.out.println(r.summary()); }
        });
        System.out.println("fit " + (System.nanoTime() - t0) / 1e9);
        INDArray xa = Nd4j.createFromArray(x).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray z = m.encode(xa);
        assertEquals(3, z.size(1));
        INDArray r1 = m.reconstruct(xa);
        INDArray r2 = m.decode(z);
        assertTrue(r1.equalsWithEps(r2, 1e-5));
        Path f = tmp.resolve("m.ae4j");
        m.save(f);
        Autoencoder l = Autoencoder.load(f);
        assertEquals(m.reconstructionError(xa), l.reconstructionError(xa));
        System.out.println(m + " err " + m.reconstructionError(xa).meanNumber());
    }
}
