/**
 * Service provider interfaces: feature extractors, sequence encoders, detectors, threshold policies
 * and alert sinks. Implementations are found with {@link java.util.ServiceLoader}; each ships a
 * {@code META-INF/services/io.seqwatch.spi.<Kind>Provider} file naming its provider class.
 *
 * <p>A vendor detector needs only this module: implement {@link io.seqwatch.spi.DetectorProvider},
 * {@link io.seqwatch.spi.Detector} and {@link io.seqwatch.spi.Model}, persist parameters with
 * {@link io.seqwatch.spi.support.Parameters} (helpers such as a vector-model base
 * live in {@code io.seqwatch.spi.support}), and list the provider in the services file.
 */
package io.seqwatch.spi;
