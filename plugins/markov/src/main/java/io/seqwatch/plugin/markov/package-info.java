/**
 * Classical sequence detector {@code markov}: an n-gram next-action model over encoded sequences with
 * add-k smoothing and back-off; scores from per-event surprisal, explanations from the most
 * surprising events. Depends only on the Seqwatch API.
 */
package io.seqwatch.plugin.markov;
