package io.seqwatch.engine.common;

import io.seqwatch.api.ModelProvenance;
import io.seqwatch.spi.support.FeatureStatistics;
import io.seqwatch.spi.support.Parameters;
import io.seqwatch.spi.support.VectorModel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine-neutral half of the dense {@code autoencoder}: features are standardised against the
 * training statistics and clipped to {@code [-clip, clip]}, an engine reconstructs them ({@link
 * #reconstruct}), and the score is the mean squared reconstruction error, the per-feature errors the
 * contributions (the worst-reconstructed features become the reasons).
 *
 * <p>Thread-safety: safe for concurrent scoring (reconstructions are serialised per model); {@link
 * #close()} is idempotent and must not race with scoring.
 */
public abstract class DenseReconstructionModel extends VectorModel {
  private final double clip;
  private final int hidden;
  private final int bottleneck;
  private final AtomicBoolean closed = new AtomicBoolean();

  protected DenseReconstructionModel(ModelProvenance provenance, FeatureStatistics statistics, double clip,
      int hidden, int bottleneck) {
    super(provenance, statistics);
    this.clip = clip;
    this.hidden = hidden;
    this.bottleneck = bottleneck;
  }

  public double clip() {
    return clip;
  }

  public int hidden() {
    return hidden;
  }

  public int bottleneck() {
    return bottleneck;
  }

  /** Standardised values clipped to [-clip, clip]. */
  public static float[] clipped(double[] z, double clip) {
    float[] f = new float[z.length];
    for (int j = 0; j < z.length; j++) {
      f[j] = (float) Math.max(-clip, Math.min(clip, z[j]));
    }
    return f;
  }

  /** The network's reconstruction of one standardised, clipped vector. */
  protected abstract float[] reconstruct(float[] in);

  /** Releases the engine's resources; called once by {@link #close()}. */
  protected abstract void release();

  /** Squared reconstruction error per feature, in standardised units. */
  private synchronized double[] errors(double[] raw) {
    if (closed.get()) {
      throw new IllegalStateException(detector() + " model is closed");
    }
    float[] in = clipped(statistics().standardize(raw), clip);
    float[] out = reconstruct(in);
    double[] e = new double[in.length];
    for (int j = 0; j < e.length; j++) {
      double diff = out[j] - in[j];
      e[j] = diff * diff;
    }
    return e;
  }

  @Override
  protected double score(double[] x) {
    double s = 0;
    for (double e : errors(x)) {
      s += e;
    }
    return s / x.length;
  }

  @Override
  protected double[] contributions(double[] x) {
    return errors(x);
  }

  /** Writes the settings; engines add their weights in {@link #writeNetwork}. */
  @Override
  protected final void writeParameters(Parameters.Builder b) {
    b.put("clip", clip).put("hidden", hidden).put("bottleneck", bottleneck);
    writeNetwork(b);
  }

  /** Adds the engine's weights to {@code model.bin}, if it keeps them there. */
  protected void writeNetwork(Parameters.Builder b) {}

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      release();
    }
  }
}
