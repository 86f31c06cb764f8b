package io.seqwatch.api;

/**
 * The kind of an event attribute's value.
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum AttributeType {
  /** A label from a set of values: device id, IP address, user agent, referrer, brand, country. */
  CATEGORICAL,
  /** A finite number: app version code, screen width, a price of a side item. */
  NUMERIC,
  /** Free text a person typed: the search query. */
  TEXT
}
