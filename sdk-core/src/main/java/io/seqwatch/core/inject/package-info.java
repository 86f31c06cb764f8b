/** Grafting labelled attacks into real event logs, to measure detectors on traffic nobody simulated. */
package io.seqwatch.core.inject;
