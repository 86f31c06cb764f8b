/** The built-in {@code log} alert sink. Other sinks (files, webhooks, message buses) ship as plugins. */
package io.seqwatch.core.sink;
