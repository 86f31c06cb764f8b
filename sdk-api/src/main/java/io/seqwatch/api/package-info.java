/**
 * The Seqwatch data model: behaviour events, sequences, feature vectors, encoded sequences, scores,
 * explanations, provenance and rejected records, plus the unchecked exception hierarchy.
 *
 * <p>Every type here is an immutable value and safe to share between threads.
 */
package io.seqwatch.api;
