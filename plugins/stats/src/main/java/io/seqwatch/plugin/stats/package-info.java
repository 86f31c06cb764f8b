/**
 * Statistical detectors over feature vectors: {@code zscore}, {@code mad} (robust z-score),
 * {@code iqr} (boxplot fences) and {@code hbos} (histogram-based outlier score). Depends only on the
 * Seqwatch API.
 */
package io.seqwatch.plugin.stats;
