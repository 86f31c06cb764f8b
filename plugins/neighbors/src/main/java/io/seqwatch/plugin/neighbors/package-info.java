/**
 * Neighbour detectors over standardised feature vectors: {@code knn} (distance to the k-th nearest
 * training neighbour) and {@code lof} (local outlier factor), both on an exact k-d tree so that they
 * stay usable at 100k sequences without O(n^2) memory. Depends only on the Seqwatch API.
 */
package io.seqwatch.plugin.neighbors;
