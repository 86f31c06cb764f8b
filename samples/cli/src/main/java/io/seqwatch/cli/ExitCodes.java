package io.seqwatch.cli;

/**
 * Exit codes of the command line, as documented in the CLI contract.
 *
 * <p>Thread-safety: constants only.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int DATA = 3;
  static final int MODEL = 4;

  private ExitCodes() {}
}
