/**
 * Distributed training and scoring of ae4j models on Apache Spark: {@link
 * io.github.ae4j.spark.SparkAutoencoderTrainer} trains any {@link io.github.ae4j.core.ModelSpec}
 * from an RDD of rows with DL4J's parameter averaging, {@link io.github.ae4j.spark.SparkDetectors}
 * trains and calibrates anomaly detectors, {@link io.github.ae4j.spark.SparkScorer} scores tables
 * with a broadcast detector, {@link io.github.ae4j.spark.SparkCsv} reads CSV tables as the command
 * line does, and {@link io.github.ae4j.spark.SparkMain} is the {@code spark-submit} entry point. The
 * models are ordinary ae4j model files.
 */
package io.github.ae4j.spark;
