package io.github.ae4j.spark;

/**
 * How training is distributed over a Spark cluster with DL4J's parameter averaging
 * ({@code ParameterAveragingTrainingMaster}): in each round, each of {@code workers} executor tasks
 * fits {@code averagingFrequency} mini-batches of {@link io.github.ae4j.core.TrainingConfig#batchSize()}
 * rows on its copy of the network, starting from the same parameters; then the parameters and the
 * optimiser state are averaged on the driver and broadcast for the next round. Immutable;
 * {@code withX} methods return copies. Start from {@link #defaults()}.
 *
 * <p>Parameter averaging: Zinkevich, Weimer, Smola and Li, "Parallelized Stochastic Gradient
 * Descent", NIPS 2010; McDonald, Hall and Mann, "Distributed Training Strategies for the Structured
 * Perceptron", NAACL 2010 (averaging after every few mini-batches). With {@code W} workers an epoch
 * makes about {@code 1/W} as many sequential updates as on one machine, so expect to need up to
 * {@code W} times the epochs for the same loss (measured in the module's README).
 *
 * @param workers            parallel training tasks per round; 0 = Spark's default parallelism (the
 *                           total executor cores)
 * @param averagingFrequency mini-batches each worker fits between two averagings, at least 1 (1 is
 *                           closest to single-machine training with a {@code W}-times larger batch;
 *                           larger costs fewer rounds, i.e. less communication and fewer Spark jobs)
 */
public record SparkTrainingConfig(int workers, int averagingFrequency) {

    /** Validates the record. */
    public SparkTrainingConfig {
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be >= 0 (0 = Spark's default parallelism), got " + workers);
        }
        if (averagingFrequency < 1) {
            throw new IllegalArgumentException("averagingFrequency must be >= 1, got " + averagingFrequency);
        }
    }

    /**
     * Spark's default parallelism, averaging every 10 mini-batches.
     *
     * @return the defaults
     */
    public static SparkTrainingConfig defaults() {
        return new SparkTrainingConfig(0, 10);
    }

    /** @param v workers (0 = default parallelism) @return a copy */
    public SparkTrainingConfig withWorkers(int v) {
        return new SparkTrainingConfig(v, averagingFrequency);
    }

    /** @param v mini-batches between averagings @return a copy */
    public SparkTrainingConfig withAveragingFrequency(int v) {
        return new SparkTrainingConfig(workers, v);
    }
}
