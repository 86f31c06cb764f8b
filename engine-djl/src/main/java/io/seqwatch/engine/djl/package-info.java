/**
 * Neural detectors on DJL with the PyTorch engine: the next-action models {@code gru}, {@code lstm}
 * and {@code transformer} (per-event negative log-likelihood, top-k misses, multimodal fusion), the
 * reconstruction models {@code lstm-autoencoder}, {@code autoencoder} and {@code gan}, the supervised
 * {@code classifier}, and the pretrained behaviour model: {@code masked-transformer}, a bidirectional
 * encoder trained by masked-event modelling with resumable checkpoints and transfer between shops,
 * and {@code transformer-classifier}, few-label fine-tuning on it. CPU natives come from {@code
 * pytorch-native-cpu}; {@code device=auto} uses a GPU when DJL sees one.
 */
package io.seqwatch.engine.djl;
