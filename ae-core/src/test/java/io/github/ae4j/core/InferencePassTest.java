package io.github.ae4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link Autoencoder#rowsPerPass}: the inference methods' passes hold at most {@link Autoencoder#PASS_FLOATS} floats
 * of activations, from the configuration's own shape inference.
 */
class InferencePassTest {

    @Test
    void givenLargeConvActivations_whenSizingAPass_thenItsActivationsStayWithinTheBudget() {
        // 28x28x1 rows -> 16 channels at 28x28 -> dense 32 -> 784: 784 + 12,544 + 32 + 784 floats per row
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(16).convolutionMode(
                        org.deeplearning4j.nn.conf.ConvolutionMode.Same).build(), "in")
                .addLayer("d", new DenseLayer.Builder().nOut(32).build(), "c")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(784).build(), "d")
                .setOutputs("out").build();
        long perRow = 784 + 28 * 28 * 16 + 32 + 784;
        int rows = Autoencoder.rowsPerPass(conf, new int[] {28, 28, 1});
        assertEquals(Autoencoder.PASS_FLOATS / perRow, rows);
        assertTrue(rows < Autoencoder.INFERENCE_BATCH);
    }

    @Test
    void givenSmallDenseActivations_whenSizingAPass_thenTheFullBatch() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .setInputTypes(InputType.feedForward(784))
                .addLayer("d", new DenseLayer.Builder().nOut(256).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(784).build(), "d")
                .setOutputs("out").build();
        assertEquals(Autoencoder.INFERENCE_BATCH, Autoencoder.rowsPerPass(conf, new int[] {784}));
    }

    @Test
    void givenAnInputSizeTheLayersDoNotTake_whenSizingAPass_thenTheFullBatchRatherThanAFailure() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutionalFlat(28, 28, 1))
                .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(16).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(784).build(), "c")
                .setOutputs("out").build();
        // 5 values cannot be a 28x28 image: the inference throws, and the full batch is used
        assertEquals(Autoencoder.INFERENCE_BATCH, Autoencoder.rowsPerPass(conf, new int[] {5}));
    }
}
