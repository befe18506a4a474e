package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.driver.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --ps-layout keyed --optimizer ftrl}: a keyed logistic model trained with
 * FTRL-Proximal and L1 reaches about AdaGrad's held-out loss on the same rows while L1 zeroes
 * the weak features exactly, so their keys are not written to the model; the dense layout
 * refuses FTRL and names the fix.
 */
class KeyedFtrlCliTest {
  private static final Pattern KEYS = Pattern.compile("keyed model \\((\\d+) keys[,)]");

  @BeforeAll
  static void sharedSession() {
    io.sparkps.driver.data.SparkTestSession.get();
  }

  /**
   * Rows whose label's log-odds is a site's plus an app's effect, and a user id of 500 values
   * drawn independently of the label: 500 weak, pure-noise features.
   */
  static Path clicksWithUsers(Path dir, int rows, long seed) throws Exception {
    SplittableRandom rng = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder("clicked,site,app,user\n");
    String[] sites = {"news", "sport", "shop", "mail", "video", "blog"};
    String[] apps = {"a1", "a2", "a3", "a4"};
    double[] siteEffect = {1.5, -1.5, 0.8, -0.8, 0, 0.3};
    double[] appEffect = {1, -1, 0.5, -0.5};
    for (int i = 0; i < rows; i++) {
      int s = rng.nextInt(sites.length);
      int a = rng.nextInt(apps.length);
      double score = siteEffect[s] + appEffect[a];
      int y = rng.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
      sb.append(y).append(',').append(sites[s]).append(',').append(apps[a]).append(",u")
          .append(rng.nextInt(500)).append('\n');
    }
    Path f = dir.resolve("users-" + seed + ".csv");
    Files.writeString(f, sb);
    return f;
  }

  private static Run train(Path data, Path out, String... more) {
    String[] base = {"train", "--data", data.toString(), "--label", "clicked", "--categorical",
        "site,app,user", "--hash-bits", "14", "--model", "logistic", "--epochs", "8", "--workers", "2", "--schedule", "constant",
        "--validation", "0.25", "--ps-layout", "keyed", "--out", out.toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CliTest.run(args);
  }

  private static long keys(Run r) {
    Matcher m = KEYS.matcher(r.out());
    assertTrue(m.find(), r.out());
    return Long.parseLong(m.group(1));
  }

  private static double heldOutLoss(Path model) throws Exception {
    JsonNode h = new ObjectMapper().readTree(model.resolve("keyed.json").toFile());
    return h.at("/metrics/logLoss").asDouble();
  }

  @Test
  void ftrlWithL1MatchesAdaGradAndDropsTheWeakFeatures(@TempDir Path tmp) throws Exception {
    Path data = clicksWithUsers(tmp, 4000, 7);
    Path adagrad = tmp.resolve("adagrad");
    Run a = train(data, adagrad, "--optimizer", "adagrad", "--lr", "0.1");
    assertEquals(0, a.code(), a.err());
    Path ftrl = tmp.resolve("ftrl");
    Run f = train(data, ftrl, "--optimizer", "ftrl", "--lr", "0.3", "--ftrl-beta", "0.1",
        "--l1", "0.2");
    assertEquals(0, f.code(), f.err());
    double la = heldOutLoss(adagrad);
    double lf = heldOutLoss(ftrl);
    assertTrue(lf < 0.6 && lf < la * 1.03 + 0.005, "held-out log loss: ftrl " + lf
        + ", adagrad " + la);
    long ka = keys(a);
    long kf = keys(f);
    assertTrue(ka > 400, "adagrad stores every touched key: " + ka);
    assertTrue(kf < ka / 5 && kf >= 10, "FTRL's L1 zeroed the 500 users: " + kf + " keys written "
        + "of " + ka + " touched");
    JsonNode h = new ObjectMapper().readTree(ftrl.resolve("keyed.json").toFile());
    assertEquals("ftrl", h.at("/training/optimizer/type").asText(), h.toString());

    Run dense = CliTest.run("train", "--data", data.toString(), "--label", "clicked",
        "--categorical", "site,app,user", "--hash-bits", "14", "--model", "logistic",
        "--optimizer", "ftrl");
    assertNotEquals(0, dense.code());
    assertTrue(dense.err().contains("--optimizer ftrl steps each key's FTRL state on the "
        + "parameter servers and needs --ps-layout keyed"), dense.err());
  }
}
