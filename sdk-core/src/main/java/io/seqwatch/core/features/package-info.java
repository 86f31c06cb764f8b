/**
 * Built-in representations: the {@code behavior} feature extractor (named behaviour features) and the
 * {@code tokens} sequence encoder (vocabulary fitted on training data, time-gap buckets, hashed
 * categories, prices).
 */
package io.seqwatch.core.features;
