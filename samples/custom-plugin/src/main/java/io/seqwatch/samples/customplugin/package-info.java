/**
 * A vendor detector written against {@code seqwatch-sdk-api} only: {@code peak-rate}, a transparent
 * rule that risk teams can read. Copy this module to start a plugin of your own: a provider class,
 * a model class, and one line in {@code META-INF/services/io.seqwatch.spi.DetectorProvider}.
 */
package io.seqwatch.samples.customplugin;
