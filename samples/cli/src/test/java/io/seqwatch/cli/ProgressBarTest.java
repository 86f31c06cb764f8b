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

  @Test
  void workInUnitsShowsTheShareAndRateOnATerminalAndClearsItsLine() {
    StringWriter out = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(out), "reading log.csv", true);
    bar.work(25, 100, "1,000 records, " + bar.perSecond(1000));
    String first = out.toString();
    assertTrue(first.startsWith("\rreading log.csv [") && first.contains(" 25% 1,000 records, ")
        && first.contains("/s (") && first.contains(" s left)"), first);
    bar.work(100, 100, "");
    assertTrue(out.toString().endsWith("\r") && !out.toString().contains(System.lineSeparator()), out.toString());
    StringWriter log = new StringWriter();
    ProgressBar quiet = new ProgressBar(new PrintWriter(log), "reading log.csv", false);
    quiet.work(25, 100, "1,000 records");
    quiet.work(100, 100, "");
    assertEquals("", log.toString(), "a log file gets the reader's own summary line, not the bar");
  }
}
