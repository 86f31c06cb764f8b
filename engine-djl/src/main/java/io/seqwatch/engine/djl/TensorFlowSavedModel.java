package io.seqwatch.engine.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqwatch.api.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scores feature rows with a TensorFlow SavedModel through the DJL TensorFlow engine (inference
 * only: that engine cannot train). The model's serving signature takes one float input of shape
 * (rows, features) and its first output is read as one score per row. Natives come from {@link
 * TensorFlowNatives}; needs the optional dependencies {@code ai.djl.tensorflow:tensorflow-engine}
 * and {@code org.tensorflow:tensorflow-core-native} (classifier {@code linux-x86_64}).
 *
 * <pre>{@code
 * try (TensorFlowSavedModel m = TensorFlowSavedModel.load(Path.of("saved_model_dir"), "x")) {
 *   float[] scores = m.score(new float[][] {{1, 2, 3}});
 * }
 * }</pre>
 *
 * <p>Thread-safety: {@link #score} is synchronized; {@link #close()} is idempotent.
 */
public final class TensorFlowSavedModel implements AutoCloseable {
  private final Model model;
  private final String input;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TensorFlowSavedModel(Model model, String input) {
    this.model = model;
    this.input = input;
  }

  /**
   * Loads a SavedModel folder.
   *
   * @param dir folder with {@code saved_model.pb}
   * @param input name of the signature's input
   * @throws ModelFormatException when the folder is not a loadable SavedModel
   */
  public static TensorFlowSavedModel load(Path dir, String input) throws IOException {
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new ModelFormatException(dir + " is not a TensorFlow SavedModel: saved_model.pb is missing");
    }
    TensorFlowNatives.prepare();
    Model m = Model.newInstance("seqwatch-savedmodel", Device.cpu(), "TensorFlow");
    try {
      m.load(dir);
      return new TensorFlowSavedModel(m, input);
    } catch (MalformedModelException | RuntimeException e) {
      m.close();
      throw new ModelFormatException("TensorFlow could not load the SavedModel in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** One score per row. */
  public synchronized float[] score(float[][] rows) {
    if (closed.get()) {
      throw new IllegalStateException("the SavedModel is closed");
    }
    if (rows.length == 0) {
      return new float[0];
    }
    int d = rows[0].length;
    float[] flat = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, not " + d);
      }
      System.arraycopy(rows[i], 0, flat, i * d, d);
    }
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x = m.create(flat, new Shape(rows.length, d));
      x.setName(input);
      return model.getBlock().forward(new ParameterStore(m, false), new NDList(x), false).head().toFloatArray();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      model.close();
    }
  }
}
