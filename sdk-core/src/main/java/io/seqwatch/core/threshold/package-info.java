/**
 * Built-in threshold policies: {@code fixed}, {@code quantile}, {@code contamination}, {@code mad}
 * (robust median + k*MAD), {@code max-f1} and {@code target-fpr} (both on labelled validation scores).
 * A score strictly above the threshold is anomalous.
 */
package io.seqwatch.core.threshold;
