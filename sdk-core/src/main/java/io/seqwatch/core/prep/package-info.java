/**
 * Cleaning and grouping: exact-duplicate removal, time ordering, missing-value handling, and grouping
 * events into sequences by actor, by session id or by inactivity gap.
 */
package io.seqwatch.core.prep;
