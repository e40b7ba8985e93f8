package io.github.ae4j.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Works around a DL4J 1.0.0-M2/M2.1 defect in parameter averaging: each worker rebuilds its network
 * from {@code ComputationGraphConfiguration.clone()}, which drops the iteration and epoch counts,
 * while the averaged optimiser state (Adam's moment estimates) is restored. Adam's bias correction
 * then restarts at step 1 on every averaging round with fully accumulated moments, shrinking the
 * steps (measured: validation loss 0.48 instead of 0.39 after 20 epochs on one worker).
 *
 * <p>This hook captures the driver network's counts when Spark serialises the worker for a round
 * (the trainer advances them after every round) and restores them on the worker's network before
 * its first update. It also counts the rows trained on (an accumulator), to check that no
 * mini-batch was dropped.
 */
final class IterationCountHook implements TrainingHook {

    private static final long serialVersionUID = 1L;

    private transient ComputationGraph driverGraph;
    private transient boolean applied;
    private int iteration;
    private int epoch;
    private final LongAccumulator examples;

    IterationCountHook(ComputationGraph driverGraph, LongAccumulator examples) {
        this.driverGraph = driverGraph;
        this.examples = examples;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        if (driverGraph != null) {
            iteration = driverGraph.getConfiguration().getIterationCount();
            epoch = driverGraph.getConfiguration().getEpochCount();
        }
        out.defaultWriteObject();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        applied = false;
    }

    private void restore(Model model) {
        if (applied || !(model instanceof ComputationGraph g)) {
            return;
        }
        ComputationGraphConfiguration conf = g.getConfiguration();
        if (conf.getIterationCount() < iteration) {
            conf.setIterationCount(iteration);
            conf.setEpochCount(Math.max(conf.getEpochCount(), epoch));
        }
        applied = true;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        restore(model);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        restore(model);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        examples.add(minibatch.getFeatures(0).size(0));
    }
}
