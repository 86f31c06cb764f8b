/**
 * Cleaning and grouping: exact-duplicate removal, time ordering, missing-value handling, and grouping
 * events into sequences by actor, by session id or by inactivity gap; {@link
 * io.seqwatch.core.prep.EventTable}, the column store large inputs are held in (cleaned and grouped
 * by sorting row numbers), and the seeded actor sample {@code train --sample} draws.
 */
package io.seqwatch.core.prep;
