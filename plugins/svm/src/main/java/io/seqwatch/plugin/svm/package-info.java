/**
 * {@code ocsvm}: one-class SVM with an RBF kernel (Schölkopf et al., 2001) on standardised feature
 * vectors, trained by a dense SMO solver ({@code OneClassSmo}, the optimum libsvm reaches) and kept in
 * libsvm's model format. Depends on the Seqwatch API and libsvm (the model format) only.
 */
package io.seqwatch.plugin.svm;
