/**
 * The {@code ensemble} detector: combines any detectors of one representation by calibrated-score or
 * rank averaging, each member normalised against its own training scores.
 */
package io.seqwatch.core.ensemble;
