package io.seqwatch.spi;

/**
 * Type of an option value. Values travel as strings (CLI {@code --set key=value}, bundle manifests)
 * and are checked against their type when {@link Options} are built.
 *
 * <p>Thread-safety: enum, immutable.
 */
public enum OptionType {
  STRING,
  INT,
  LONG,
  DOUBLE,
  BOOLEAN;

  /**
   * Checks that {@code value} parses as this type.
   *
   * @return an error message, or the empty string when the value is valid
   */
  String check(String value) {
    try {
      switch (this) {
        case INT:
          Integer.parseInt(value.trim());
          break;
        case LONG:
          Long.parseLong(value.trim());
          break;
        case DOUBLE:
          double d = Double.parseDouble(value.trim());
          if (!Double.isFinite(d)) {
            return "not a finite number";
          }
          break;
        case BOOLEAN:
          if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            return "expected true or false";
          }
          break;
        default:
          break;
      }
      return "";
    } catch (NumberFormatException e) {
      return "expected " + name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
