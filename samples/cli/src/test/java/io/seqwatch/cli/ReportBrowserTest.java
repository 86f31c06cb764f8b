package io.seqwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seqwatch.core.eval.HtmlReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --report} end to end, rendered in headless Chromium (Debian package {@code
 * chromium}, installed by .ci/run): the screenshot must show the ROC and PR curves in their colours.
 */
@Tag("browser")
class ReportBrowserTest {
  @TempDir Path tmp;

  private static Path chromium() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(c))) {
        return Path.of(c);
      }
    }
    return null;
  }

  /** Pixels of exactly this colour in the first row of plots (x from x0 to x1, y below 480). */
  private static int pixels(BufferedImage img, String hex, int x0, int x1) {
    int rgb = Integer.parseInt(hex.substring(1), 16);
    int n = 0;
    for (int y = 0; y < Math.min(480, img.getHeight()); y++) {
      for (int x = x0; x < Math.min(x1, img.getWidth()); x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  private Path report() throws IOException {
    Path data = tmp.resolve("data");
    assertEquals(0, CliTest.run("generate", "--out", data.toString(), "--users", "800", "--seed", "4").code());
    Path model = tmp.resolve("m");
    assertEquals(0, CliTest.run("train", "--input", data.resolve("events.csv").toString(), "--format", "taobao",
        "--detector", "isolation-forest", "--threshold", "contamination:0.05", "--model", model.toString()).code());
    Path scores = tmp.resolve("scores.csv");
    assertEquals(0, CliTest.run("score", "--model", model.toString(), "--input", data.resolve("events.csv").toString(),
        "--format", "taobao", "--output", scores.toString()).code());
    Path report = tmp.resolve("report.html");
    CliTest.Run e = CliTest.run("evaluate", "--scores", scores.toString(), "--labels",
        data.resolve("labels.csv").toString(), "--report", report.toString());
    assertEquals(0, e.code(), e.err());
    return report;
  }

  @Test
  void reportHasCurvesHistogramsConfusionKindsAndAlerts() throws IOException {
    String html = Files.readString(report());
    for (String id : List.of("id=\"summary\"", "id=\"roc\"", "id=\"pr\"", "id=\"histogram\"", "id=\"threshold\"",
        "id=\"confusion\"", "id=\"kinds\"", "id=\"alerts\"")) {
      assertTrue(html.contains(id), id);
    }
    assertTrue(html.matches("(?s).*<path class=\"curve\" d=\"M[0-9.,]+ (L[0-9.,]+ ?){10,}.*"), "curves have points");
    assertTrue(!html.contains("<script"), "no scripts");
    assertTrue(html.contains("click_bot"));
  }

  @Test
  void chromiumDrawsTheCurves() throws Exception {
    Path browser = chromium();
    assumeTrue(browser != null, "chromium is not installed (apt-get install chromium); .ci/run installs it");
    Path report = report();
    Path png = tmp.resolve("shot.png");
    Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--user-data-dir=" + Files.createTempDirectory(tmp, "profile"), "--screenshot=" + png,
        "--window-size=1200,900", report.toUri().toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
    BufferedImage img = ImageIO.read(png.toFile());
    // ROC in the left plot, PR in the middle one
    int roc = pixels(img, HtmlReport.ROC_COLOUR, 0, 470);
    int pr = pixels(img, HtmlReport.PR_COLOUR, 470, 950);
    assertTrue(roc > 500, "ROC curve pixels: " + roc);
    assertTrue(pr > 500, "PR curve pixels: " + pr);
  }
}
