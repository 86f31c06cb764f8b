/**
 * Neural sequence detectors on DJL with the PyTorch engine: {@code gru} and {@code lstm}, DeepLog-style
 * next-action models (embedding, recurrent layers, softmax over the action vocabulary) scored by
 * per-event negative log-likelihood and top-k misses. CPU natives come from {@code
 * pytorch-native-cpu}; {@code device=auto} uses a GPU when DJL sees one.
 */
package io.seqwatch.engine.djl;
