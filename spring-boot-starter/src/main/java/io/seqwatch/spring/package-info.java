/**
 * Spring Boot starter: {@link io.seqwatch.spring.SeqwatchAutoConfiguration} wires a streaming scorer
 * from {@code seqwatch.*} properties ({@link io.seqwatch.spring.SeqwatchProperties}).
 */
package io.seqwatch.spring;
