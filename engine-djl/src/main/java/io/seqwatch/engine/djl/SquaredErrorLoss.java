package io.seqwatch.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * DJL's {@code L2Loss} (half the mean squared error, named "L2Loss" as it is) with its one-half held
 * in engine memory: {@code L2Loss} multiplies by a Java scalar that autograd reads again in the
 * backward pass after the scalar's buffer may have been freed (see {@link DjlRuntime#scalar}).
 *
 * <p>Thread-safety: stateless; safe to share.
 */
final class SquaredErrorLoss extends Loss {
  SquaredErrorLoss() {
    super("L2Loss");
  }

  @Override
  public NDArray evaluate(NDList label, NDList prediction) {
    NDArray pred = prediction.singletonOrThrow();
    NDArray diff = label.singletonOrThrow().reshape(pred.getShape()).sub(pred).square();
    return diff.mul(DjlRuntime.scalar(pred.getManager(), 0.5f)).mean();
  }
}
