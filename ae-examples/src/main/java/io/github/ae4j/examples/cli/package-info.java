/**
 * The {@code ae4j} command line (picocli): train, score, evaluate, calibrate, encode, reconstruct,
 * generate, info, demo and bench.
 */
package io.github.ae4j.examples.cli;
