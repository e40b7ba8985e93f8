/**
 * Persistence: the safe, atomic ae4j model file format.
 */
package io.github.ae4j.core.io;
