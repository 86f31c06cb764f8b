package io.seqwatch.core.testing;

/**
 * Test fixture {@code test-hidden}: {@code test-distance} under a name that no services file on the
 * test class path registers; only registries built from a loader given its own services file find it.
 *
 * <p>Thread-safety: stateless.
 */
public final class HiddenDistanceProvider extends DistanceDetectorProvider {
  public HiddenDistanceProvider() {
    super("test-hidden");
  }
}
