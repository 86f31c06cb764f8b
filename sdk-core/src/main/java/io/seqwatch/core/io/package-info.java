/**
 * Streaming readers for event files (Taobao, REES46, Diginetica, log-key tokens, JSON lines and
 * generic CSV with a column mapping) and the quarantine file for rejected records.
 *
 * <p>Readers work line by line in constant memory. A record is one physical line; every non-blank
 * line is either accepted or rejected with its line number, reason and raw text, so {@code accepted
 * + rejected = read} always holds.
 */
package io.seqwatch.core.io;
