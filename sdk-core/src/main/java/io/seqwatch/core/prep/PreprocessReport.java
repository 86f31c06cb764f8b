package io.seqwatch.core.prep;

/**
 * What preprocessing changed.
 *
 * @param input events in
 * @param output events out
 * @param duplicatesRemoved exact duplicates dropped (same actor, session, time, action, item,
 *     category and price)
 * @param outOfOrder events that arrived earlier in the file than an event of the same actor with a
 *     later time, and were put in time order
 * @param missingCategory events with no category (kept; feature extractors treat them as their own
 *     category)
 * @param missingItem events with no item (kept)
 *     <p>Thread-safety: immutable.
 */
public record PreprocessReport(
    long input, long output, long duplicatesRemoved, long outOfOrder, long missingCategory,
    long missingItem) {}
