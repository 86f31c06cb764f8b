package io.seqwatch.core.io;

import io.seqwatch.api.ActionType;
import io.seqwatch.api.BehaviorEvent;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One sequence per non-empty line, tokens separated by white space (for example HDFS log keys). The
 * actor id is the 1-based line number; an event's timestamp is its position in seconds, so the
 * order is kept and time features stay defined. Tokens must be printable and at most 64 characters.
 *
 * <p>Thread-safety: stateless, safe to share.
 */
final class TokensReader extends LineEventReader {
  static final int MAX_TOKEN = 64;

  TokensReader() {
    super(false);
  }

  @Override
  public String format() {
    return "tokens";
  }

  /** A key repeated in a session's line is the session's behaviour, not a logging duplicate. */
  @Override
  public boolean repeatsAreData() {
    return true;
  }

  @Override
  void parse(String line, long lineNumber, List<BehaviorEvent> out, ReadContext context) throws RecordException {
    emit(line.trim().split("\\s+"), Long.toString(lineNumber), lineNumber, out);
  }

  static void emit(String[] tokens, String key, long lineNumber, List<BehaviorEvent> out)
      throws RecordException {
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.isEmpty()) {
        throw new RecordException("empty sequence");
      }
      if (t.length() > MAX_TOKEN) {
        throw new RecordException("token " + (i + 1) + " is longer than " + MAX_TOKEN + " characters");
      }
      for (int c = 0; c < t.length(); c++) {
        if (Character.isISOControl(t.charAt(c))) {
          throw new RecordException("token " + (i + 1) + " contains a control character");
        }
      }
      out.add(new BehaviorEvent(key, Optional.empty(), i * 1000L, t, ActionType.fromAlias(t),
          Optional.empty(), Optional.empty(), OptionalDouble.empty(), lineNumber));
    }
  }
}
