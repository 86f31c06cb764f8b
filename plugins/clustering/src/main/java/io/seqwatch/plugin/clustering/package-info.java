/**
 * Clustering detectors over standardised feature vectors: {@code kmeans} (distance to the nearest
 * centroid, k-means++ initialisation) and {@code dbscan} (distance to the nearest core point in
 * units of eps: above 1 is DBSCAN noise). Depends only on the Seqwatch API.
 */
package io.seqwatch.plugin.clustering;
