package io.seqwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void onATerminalTheBarRedrawsInPlaceWithTheTimeLeft() {
    StringWriter out = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(out), "training gru", true);
    bar.progress(1, 4, "epochs");
    bar.progress(4, 4, "epochs");
    String s = out.toString();
    assertTrue(s.startsWith("\rtraining gru [") && s.contains("about ") && s.contains(" s left"), s);
    assertTrue(s.endsWith(System.lineSeparator()), s);
  }

  @Test
  void elsewhereOneLineWhenTheWorkEndsAndNoCarriageReturn() {
    StringWriter out = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(out), "training gru", false);
    for (int i = 1; i <= 10; i++) {
      bar.progress(i, 10, "trees");
    }
    String s = out.toString();
    assertFalse(s.contains("\r"), s);
    assertEquals(1, s.lines().count(), s);
    assertTrue(s.startsWith("training gru: 10/10 trees ("), s);
    StringWriter early = new StringWriter();
    ProgressBar stopped = new ProgressBar(new PrintWriter(early), "training lstm", false);
    stopped.progress(3, 20, "epochs");
    stopped.finish();
    assertTrue(early.toString().startsWith("training lstm: 3/20 epochs (") && early.toString().contains("(stopped early)"),
        early.toString());
  }
}
