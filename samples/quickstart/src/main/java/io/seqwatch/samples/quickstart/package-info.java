/** The README's embedding example, compiled and tested so that it stays true. */
package io.seqwatch.samples.quickstart;
