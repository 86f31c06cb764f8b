/**
 * The pipeline (read, clean, group, represent, detect, threshold), fitted pipelines, and bundles: a
 * folder or {@code .zip} with {@code manifest.json}, {@code manifest.sha256} and one folder per
 * component, every file checked by SHA-256 on load.
 */
package io.seqwatch.core.pipeline;
