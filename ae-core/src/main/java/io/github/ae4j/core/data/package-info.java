/**
 * Data input: CSV (plain or gzip, header detection, label and id columns, categorical columns,
 * imputation) in memory or streamed, and IDX image files; errors name file, row and column.
 */
package io.github.ae4j.core.data;
