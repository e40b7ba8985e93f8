package io.github.ae4j.core;

import io.github.ae4j.core.internal.NamedServices;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;



import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The built-in reconstruction losses and the registry of {@link LossProvider}s, through which a saved
 * model's loss is found by name.
 */
public final class ReconstructionLosses {

    private ReconstructionLosses() {
    }

    /** Losses registered by {@link #register}: the application's own code. */
    private static final Map<String, ReconstructionLoss> REGISTERED_BY_CODE = new ConcurrentHashMap<>();

    /** Smallest probability used inside logarithms of binary cross-entropy. */
    public static final double EPS = 1e-7;

    /**
     * Mean squared error with a linear (identity) output: for standardised or unbounded data.
     *
     * @return the loss
     */
    public static ReconstructionLoss mse() {
        return Mse.INSTANCE;
    }

    /**
     * Mean squared error after a sigmoid output: for data scaled to [0, 1] where MSE is preferred.
     *
     * @return the loss
     */
    public static ReconstructionLoss mseSigmoid() {
        return Mse.SIGMOID;
    }

    /**
     * Mean absolute error with a linear output: robust to outliers in the training data.
     *
     * @return the loss
     */
    public static ReconstructionLoss mae() {
        return Mae.INSTANCE;
    }

    /**
     * Binary cross-entropy after a sigmoid output: for data in [0, 1] (pixels, binary features).
     * Scores (per-feature errors) are the Bernoulli KL divergence, BCE minus the target's entropy:
     * zero for a perfect reconstruction of grey values too.
     *
     * @return the loss
     */
    public static ReconstructionLoss binaryCrossEntropy() {
        return Bce.INSTANCE;
    }

    /**
     * The loss providers on the class path (the thread's context class loader and ae-core's), by
     * name: the built-in ones and any plugin's.
     *
     * @return name to provider, sorted by name
     * @throws IllegalStateException when two providers claim one name, or a listed provider cannot be created
     */
    public static Map<String, LossProvider> providers() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = ReconstructionLosses.class.getClassLoader();
        Map<String, LossProvider> byName = NamedServices.byName(LossProvider.class, LossProvider::name, "loss plugin",
                context == null || context == own ? List.of(own) : List.of(context, own));
        REGISTERED_BY_CODE.forEach((n, l) -> {
            LossProvider old = byName.get(n);
            if (old != null && old.loss().getClass() != l.getClass()) {
                throw new IllegalStateException("two losses are named '" + n + "': " + old.loss().getClass().getName()
                        + " (a plugin) and " + l.getClass().getName() + " (registered by code)");
            }
            byName.putIfAbsent(n, new Registered(l));
        });
        return byName;
    }

    /**
     * Makes a loss of this application's own code findable by name in this JVM, without a plugin jar:
     * for a custom loss written in Java next to the code that trains with it (a model trained with a
     * loss must find it by name again to load). Plugins register a {@link LossProvider} instead.
     *
     * @param loss the loss
     * @throws IllegalArgumentException when its name is blank
     */
    public static void register(ReconstructionLoss loss) {
        Objects.requireNonNull(loss, "loss");
        if (loss.name() == null || loss.name().isBlank()) {
            throw new IllegalArgumentException("a reconstruction loss needs a name, got '" + loss.name() + "'");
        }
        REGISTERED_BY_CODE.put(loss.name(), loss);
    }

    /** A loss registered by {@link #register}. */
    private record Registered(ReconstructionLoss loss) implements LossProvider {
        @Override
        public String name() {
            return loss.name();
        }
    }

    /**
     * @param name a loss's name
     * @return the loss of the provider of that name, if on the class path
     */
    public static Optional<ReconstructionLoss> find(String name) {
        Objects.requireNonNull(name, "name");
        LossProvider p = providers().get(name.trim());
        if (p == null) {
            return Optional.empty();
        }
        ReconstructionLoss l = p.loss();
        if (l == null || !p.name().equals(l.name())) {
            throw new IllegalStateException("loss plugin " + p.getClass().getName() + " is named '" + p.name()
                    + "' but its loss is named '" + (l == null ? null : l.name()) + "'");
        }
        return Optional.of(l);
    }

    /**
     * @param name a loss's name
     * @return the loss
     * @throws IllegalArgumentException naming the available ones when no provider of that name is on the class path
     */
    public static ReconstructionLoss require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(unknown(name)));
    }

    /**
     * The message for a loss no provider on the class path has.
     *
     * @param name the loss's name
     * @return one line naming it and the available ones
     */
    public static String unknown(String name) {
        return "unknown reconstruction loss '" + name + "': available are " + String.join(", ", providers().keySet())
                + " (a loss plugin's jar must be on the class path: ae4j --plugins DIR, AE4J_CLASSPATH, or"
                + " spark-submit --jars; a loss defined in the program itself: ReconstructionLosses.register(loss))";
    }

    /**
     * Finds the loss a saved model names, through the registered {@link LossProvider}s only: no class
     * named by a file is created ({@code className} is recorded for information and not used).
     *
     * @param name      the stored name
     * @param className the stored class name (ignored; kept for the callers of earlier versions)
     * @return the loss
     * @throws IllegalArgumentException when no provider of that name is on the class path
     */
    public static ReconstructionLoss forName(String name, String className) {
        return require(name);
    }

    /** Registers {@link #mse()} ({@code META-INF/services}); not for direct use. */
    public static final class MseProvider implements LossProvider {
        @Override
        public String name() {
            return "mse";
        }

        @Override
        public ReconstructionLoss loss() {
            return mse();
        }
    }

    /** Registers {@link #mseSigmoid()} ({@code META-INF/services}); not for direct use. */
    public static final class MseSigmoidProvider implements LossProvider {
        @Override
        public String name() {
            return "mse-sigmoid";
        }

        @Override
        public ReconstructionLoss loss() {
            return mseSigmoid();
        }
    }

    /** Registers {@link #mae()} ({@code META-INF/services}); not for direct use. */
    public static final class MaeProvider implements LossProvider {
        @Override
        public String name() {
            return "mae";
        }

        @Override
        public ReconstructionLoss loss() {
            return mae();
        }
    }

    /** Registers {@link #binaryCrossEntropy()} ({@code META-INF/services}); not for direct use. */
    public static final class BceProvider implements LossProvider {
        @Override
        public String name() {
            return "bce";
        }

        @Override
        public ReconstructionLoss loss() {
            return binaryCrossEntropy();
        }
    }

    /** Mean squared error after an output activation (identity, or sigmoid for [0, 1] data). */
    private static final class Mse implements ReconstructionLoss {
        static final Mse INSTANCE = new Mse("mse", Activation.IDENTITY, "MSE (identity output)");
        static final Mse SIGMOID = new Mse("mse-sigmoid", Activation.SIGMOID, "MSE (sigmoid output)");

        private final String name;
        private final Activation activation;
        private final String description;

        private Mse(String name, Activation activation, String description) {
            this.name = name;
            this.activation = activation;
            this.description = description;
        }

        @Override
        public ILossFunction lossFunction() {
            return new LossMSE();
        }

        @Override
        public Activation outputActivation() {
            return activation;
        }

        @Override
        public INDArray perFeature(INDArray x, INDArray xHat) {
            INDArray d = xHat.sub(x);
            return d.muli(d);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final class Mae implements ReconstructionLoss {
        static final Mae INSTANCE = new Mae();

        @Override
        public ILossFunction lossFunction() {
            return new LossMAE();
        }

        @Override
        public Activation outputActivation() {
            return Activation.IDENTITY;
        }

        @Override
        public INDArray perFeature(INDArray x, INDArray xHat) {
            return Transforms.abs(xHat.sub(x), false);
        }

        @Override
        public String name() {
            return "mae";
        }

        @Override
        public String toString() {
            return "MAE (identity output)";
        }
    }

    private static final class Bce implements ReconstructionLoss {
        static final Bce INSTANCE = new Bce();

        @Override
        public ILossFunction lossFunction() {
            return new LossBinaryXENT();
        }

        @Override
        public Activation outputActivation() {
            return Activation.SIGMOID;
        }

        /**
         * The Bernoulli Kullback-Leibler divergence KL(x || p) = BCE(x, p) - H(x): binary
         * cross-entropy minus the entropy of the target, so that a perfect reconstruction scores 0
         * even for grey values (plain BCE would charge a grey pixel its own entropy, whatever the
         * reconstruction). Identical to BCE for binary targets; the gradient in training is the
         * same, since H(x) does not depend on the model.
         */
        @Override
        public INDArray perFeature(INDArray x, INDArray xHat) {
            INDArray p = Transforms.max(Transforms.min(xHat, 1.0 - EPS, true), EPS, false);
            INDArray t = Transforms.max(Transforms.min(x, 1.0 - EPS, true), EPS, false);
            // t log(t / p) + (1 - t) log((1 - t) / (1 - p))
            INDArray a = t.mul(Transforms.log(t.div(p), false));
            INDArray b = t.rsub(1.0).muli(Transforms.log(t.rsub(1.0).divi(p.rsub(1.0)), false));
            return a.addi(b);
        }

        @Override
        public String name() {
            return "bce";
        }

        @Override
        public String toString() {
            return "binary cross-entropy (sigmoid output)";
        }
    }

}
