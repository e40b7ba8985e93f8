package demo.plugin;

import io.github.ae4j.core.AutoencoderSpec;
import io.github.ae4j.core.Bottleneck;
import io.github.ae4j.core.Decoder;
import io.github.ae4j.core.Encoder;
import io.github.ae4j.core.ModelSpec;
import io.github.ae4j.core.plugin.ArchitectureOption;
import io.github.ae4j.core.plugin.ArchitectureProvider;
import io.github.ae4j.core.plugin.ArchitectureRequest;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/** A plugin architecture: one wide tanh layer each side of a small code. Use: ae4j train --arch shallow. */
public final class ShallowArchitecture implements ArchitectureProvider {

    @Override
    public String name() {
        return "shallow";
    }

    @Override
    public String description() {
        return "one wide tanh layer each side of the code (sample plugin)";
    }

    @Override
    public List<ArchitectureOption> options() {
        return List.of(new ArchitectureOption("width", "units of the hidden layer", "2 x the input width"),
                new ArchitectureOption("latent", "code size", "3"));
    }

    @Override
    public ModelSpec build(ArchitectureRequest r) {
        int n = r.inputSize();
        int width = r.intOption("width") != null ? r.intOption("width") : 2 * n;
        int latent = r.intOption("latent") != null ? r.intOption("latent") : 3;
        Encoder encoder = (g, in, type) -> {
            g.addLayer("enc", new DenseLayer.Builder().nOut(width).activation(Activation.TANH).build(), in);
            return "enc";
        };
        Decoder decoder = (g, code, type) -> {
            g.addLayer("dec", new DenseLayer.Builder().nOut(width).activation(Activation.TANH).build(), code);
            g.addLayer("out", new DenseLayer.Builder().nOut(n).activation(Activation.IDENTITY).build(), "dec");
            return "out";
        };
        return AutoencoderSpec.of(n, encoder, Bottleneck.dense(latent), decoder);
    }
}
