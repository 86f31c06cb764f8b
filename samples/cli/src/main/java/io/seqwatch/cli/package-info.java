/**
 * The {@code seqwatch} command line (picocli): demo, plugins, generate, train, score, evaluate.
 * Exit codes: 0 ok, 2 usage or configuration error, 3 unusable data, 4 model or bundle error.
 */
package io.seqwatch.cli;
