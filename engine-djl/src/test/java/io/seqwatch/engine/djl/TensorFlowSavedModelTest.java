package io.seqwatch.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqwatch.api.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Builds a small SavedModel in Java (squared distance from a centre, a z-score-like anomaly score)
 * and scores through the DJL TensorFlow engine with natives from tensorflow-core-native.
 */
class TensorFlowSavedModelTest {
  @TempDir Path tmp;

  @Test
  void buildsASavedModelAndScoresThroughTheDjlTensorFlowEngine() throws IOException {
    Path dir = tmp.resolve("saved");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      var score = tf.reduceSum(tf.math.square(tf.math.sub(x, tf.constant(new float[] {1f, 2f, 3f}))), tf.constant(1));
      Signature sig = Signature.builder().input("x", x).output("score", score).build();
      SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(sig, s)).export();
    }
    assertTrue(Files.exists(dir.resolve("saved_model.pb")));
    try (TensorFlowSavedModel m = TensorFlowSavedModel.load(dir, "x")) {
      assertArrayEquals(new float[] {0f, 5f, 14f}, m.score(new float[][] {{1, 2, 3}, {2, 2, 5}, {0, 0, 0}}), 1e-6f);
    }
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TensorFlowSavedModel.load(tmp, "x"));
    assertTrue(e.getMessage().endsWith("is not a TensorFlow SavedModel: saved_model.pb is missing"), e.getMessage());
  }
}
