/**
 * Tree ensembles: {@code isolation-forest} (Liu, Ting and Zhou, 2008) with path-length scores and
 * per-feature contributions from the splits that isolate a sequence. Depends only on the Seqwatch
 * API.
 */
package io.seqwatch.plugin.forest;
