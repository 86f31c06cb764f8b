/**
 * {@code ocsvm}: one-class SVM with an RBF kernel (Schölkopf et al., 2001) trained by libsvm on
 * standardised feature vectors. Depends on the Seqwatch API and libsvm only.
 */
package io.seqwatch.plugin.svm;
