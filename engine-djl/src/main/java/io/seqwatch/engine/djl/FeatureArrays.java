package io.seqwatch.engine.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import io.seqwatch.api.FeatureVector;
import io.seqwatch.api.ModelFormatException;
import io.seqwatch.engine.common.DenseReconstructionModel;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;
import java.util.List;

/**
 * What the feature-vector networks ({@code autoencoder}, {@code gan}) share: standardised, clipped
 * float inputs, and their weights kept as parameter arrays in the model file (no engine-specific
 * format in the bundle).
 *
 * <p>Thread-safety: stateless.
 */
final class FeatureArrays {
  private FeatureArrays() {}

  /** Training vectors standardised and clipped to [-clip, clip], row-major. */
  static float[] training(List<FeatureVector> vectors, FeatureStatistics stats, double clip, long seed) {
    double[][] x = VectorModel.standardizedSample(vectors, stats, Integer.MAX_VALUE, seed);
    int d = stats.schema().size();
    float[] flat = new float[x.length * d];
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(clipped(x[i], clip), 0, flat, i * d, d);
    }
    return flat;
  }

  /** Standardised values clipped to [-clip, clip]. */
  /** The rows {@code rows} of the row-major {@code flat} matrix of width {@code d}, in that order. */
  static float[] rows(float[] flat, int d, int[] rows) {
    float[] b = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(flat, rows[i] * d, b, i * d, d);
    }
    return b;
  }

  static float[] clipped(double[] z, double clip) {
    return DenseReconstructionModel.clipped(z, clip);
  }

  /** Adds every parameter of {@code block} as {@code prefix + name}. */
  static void store(Block block, Parameters.Builder b, String prefix) {
    for (Pair<String, Parameter> e : block.getParameters()) {
      float[] f = e.getValue().getArray().toFloatArray();
      double[] w = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        w[i] = f[i];
      }
      b.put(prefix + e.getKey(), w);
    }
  }

  /**
   * Initialises {@code block} in {@code model} for inputs of {@code d} features and loads the
   * parameters stored by {@link #store}.
   *
   * @throws ModelFormatException when a parameter is missing or has the wrong size
   */
  static void restore(Block block, Model model, int d, Parameters p, String prefix) {
    block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, d));
    for (Pair<String, Parameter> e : block.getParameters()) {
      double[] w = p.doubles(prefix + e.getKey());
      NDArray a = e.getValue().getArray();
      if (w.length != a.getShape().size()) {
        throw new ModelFormatException(model.getName() + ": weight " + prefix + e.getKey() + " has " + w.length
            + " values, the network needs " + a.getShape().size());
      }
      float[] f = new float[w.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) w[i];
      }
      a.set(f);
    }
  }
}
