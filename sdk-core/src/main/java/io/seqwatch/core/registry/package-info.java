/**
 * Discovery of providers through {@link java.util.ServiceLoader}, with one precedence rule and error
 * messages that name the fix.
 */
package io.seqwatch.core.registry;
