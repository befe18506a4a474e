package io.sparkps.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkps.core.optim.LearningRateSchedule.Constant;
import io.sparkps.core.optim.LearningRateSchedule.Cosine;
import io.sparkps.core.optim.LearningRateSchedule.StepDecay;
import io.sparkps.core.optim.LearningRateSchedule.WarmUp;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every optimizer and schedule survives a Jackson round trip by its type name. */
class OptimizerJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Stream<LearningRateSchedule> schedules() {
    return Stream.of(
        new Constant(0.01),
        new StepDecay(0.1, 100, 0.5),
        new Cosine(0.1, 1000, 0.001),
        new WarmUp(50, new Cosine(0.1, 1000, 0)));
  }

  static Stream<Optimizer> optimizers() {
    LearningRateSchedule warm = new WarmUp(10, new StepDecay(0.05, 20, 0.9));
    return Stream.of(
        Sgd.of(0.1),
        new Momentum(warm, 0.95),
        Nesterov.of(0.01),
        new AdaGrad(new Cosine(0.2, 30, 0.01), 1e-6),
        RmsProp.of(0.001),
        Adam.of(0.001),
        new AdamW(warm, 0.8, 0.99, 1e-7, 0.05));
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void scheduleRoundTrips(LearningRateSchedule schedule) throws Exception {
    String json = MAPPER.writeValueAsString(schedule);
    assertEquals(schedule, MAPPER.readValue(json, LearningRateSchedule.class), json);
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void optimizerRoundTrips(Optimizer optimizer) throws Exception {
    String json = MAPPER.writeValueAsString(optimizer);
    assertEquals(optimizer, MAPPER.readValue(json, Optimizer.class), json);
  }

  @Test
  void jsonUsesTheTypeNamesAndComponentNames() throws Exception {
    String json = MAPPER.writeValueAsString(
        new AdamW(new WarmUp(5, new Constant(0.1)), 0.9, 0.999, 1e-8, 0.01));
    assertEquals("{\"type\":\"adamw\",\"schedule\":{\"type\":\"warmup\",\"warmupSteps\":5,"
        + "\"after\":{\"type\":\"constant\",\"baseRate\":0.1}},\"beta1\":0.9,\"beta2\":0.999,"
        + "\"epsilon\":1.0E-8,\"weightDecay\":0.01}", json);
  }

  @Test
  void invalidJsonIsRejectedByTheConstructor() {
    String json = "{\"type\":\"adam\",\"schedule\":{\"type\":\"constant\",\"baseRate\":0.1},"
        + "\"beta1\":1.2,\"beta2\":0.999,\"epsilon\":1e-8}";
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(
        Exception.class, () -> MAPPER.readValue(json, Optimizer.class));
    assertTrue(e.getMessage().contains("Adam beta1 must be in [0, 1), got 1.2"), e.getMessage());
  }
}
