package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradientClippingTest {

  @Test
  void longGradientIsScaledToMaxNorm() {
    float[] g = {3f, -4f, 0f};
    // norm = sqrt(9 + 16) = 5; scale 2 / 5 = 0.4: (1.2, -1.6, 0), norm 2
    assertEquals(5.0, GradientClipping.clipByNorm(g, 2.0), 1e-12);
    assertArrayEquals(new float[] {1.2f, -1.6f, 0f}, g, 1e-6f);
  }

  @Test
  void shortGradientIsLeftAlone() {
    float[] g = {3f, -4f};
    assertEquals(5.0, GradientClipping.clipByNorm(g, 5.0), 1e-12);
    assertArrayEquals(new float[] {3f, -4f}, g, 0f);
  }

  @Test
  void zeroMaxNormMeansNoClipping() {
    float[] g = {30f, -40f};
    assertEquals(50.0, GradientClipping.clipByNorm(g, 0), 1e-12);
    assertArrayEquals(new float[] {30f, -40f}, g, 0f);
  }

  @Test
  void normIsAccumulatedInDouble() {
    // 1e20^2 = 1e40 overflows float but not double: norm = sqrt(2) * 1e20 (as a float)
    float big = 1e20f;
    float[] g = {big, big};
    double expected = Math.sqrt(2) * big;
    assertEquals(expected, GradientClipping.clipByNorm(g, 0), expected * 1e-15);
  }

  @Test
  void nonFiniteNormIsRejected() {
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByNorm(new float[] {1f, Float.NaN}, 1.0));
    assertTrue(nan.getMessage().contains("Gradient norm is NaN"), nan.getMessage());
    IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByNorm(new float[] {Float.POSITIVE_INFINITY}, 1.0));
    assertTrue(inf.getMessage().contains("Gradient norm is Infinity"), inf.getMessage());
  }

  @Test
  void negativeMaxNormIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradientClipping.clipByNorm(new float[] {1f}, -1.0));
    assertTrue(e.getMessage().contains("maxNorm") && e.getMessage().contains("got -1.0"),
        e.getMessage());
  }
}
