package io.github.ae4j.core;

import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The built-in reconstruction losses and the look-up used when a saved model is loaded.
 */
public final class ReconstructionLosses {

    private ReconstructionLosses() {
    }

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
     * Finds a loss by the {@link ReconstructionLoss#name()} stored in a model, or creates a custom
     * loss from its class name (the class must implement {@link ReconstructionLoss} and have a
     * public no-argument constructor).
     *
     * @param name      the stored name
     * @param className the stored class name, used for custom losses
     * @return the loss
     * @throws IllegalArgumentException when neither a built-in loss nor a loadable custom one matches
     */
    public static ReconstructionLoss forName(String name, String className) {
        Objects.requireNonNull(name, "name");
        switch (name) {
            case "mse": return mse();
            case "mse-sigmoid": return mseSigmoid();
            case "mae": return mae();
            case "bce": return binaryCrossEntropy();
            default: break;
        }
        if (className == null || className.isEmpty()) {
            throw new IllegalArgumentException("unknown reconstruction loss '" + name + "'");
        }
        try {
            Class<?> c = Class.forName(className, false, ReconstructionLosses.class.getClassLoader());
            if (!ReconstructionLoss.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException("class " + className + " named for loss '" + name
                        + "' does not implement ReconstructionLoss");
            }
            ReconstructionLoss l = (ReconstructionLoss) c.getConstructor().newInstance();
            if (!name.equals(l.name())) {
                throw new IllegalArgumentException("class " + className + " has loss name '" + l.name()
                        + "', the model expects '" + name + "'");
            }
            return l;
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("custom reconstruction loss '" + name + "' needs class "
                    + className + " on the class path", e);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException e) {
            throw new IllegalArgumentException("cannot create custom reconstruction loss " + className
                    + ": it needs a public no-argument constructor", e);
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
