/**
 * Runnable examples of ae4j, each a main class that runs offline on bundled data (with a
 * {@code --smoke} mode for CI), and the plots they write.
 */
package io.github.ae4j.examples;
