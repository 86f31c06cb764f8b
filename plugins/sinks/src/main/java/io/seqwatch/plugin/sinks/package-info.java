/**
 * Alert sinks that need nothing but the JDK: {@code jsonl} (one JSON object per line in a file)
 * and {@code webhook} (HTTP POST with retries, back-off, a bounded queue and a spill file so that
 * no alert is lost on a restart). Both can pseudonymise actor ids with HMAC-SHA256 before an alert
 * leaves the process.
 */
package io.seqwatch.plugin.sinks;
