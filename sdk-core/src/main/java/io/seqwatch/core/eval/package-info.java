/**
 * Evaluation against labels: confusion counts, precision, recall, F1, accuracy, false-positive rate,
 * ROC-AUC, PR-AUC (average precision), precision@k and per-kind recall, with JSON output.
 */
package io.seqwatch.core.eval;
