/**
 * The {@code kafka} alert sink: alerts as JSON values on a Kafka topic, keyed by the (optionally
 * pseudonymised) actor id so that one actor's alerts stay in order on one partition.
 */
package io.seqwatch.plugin.kafka;
