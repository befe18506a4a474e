package io.sparkps.worker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkps.core.optim.Sgd;
import io.sparkps.ps.api.JobSpec;
import io.sparkps.ps.client.ClientConfig;
import io.sparkps.ps.client.ParameterServerAdmin;
import io.sparkps.ps.client.ParameterServerClient;
import io.sparkps.ps.server.ParameterServer;
import io.sparkps.ps.server.ServerConfig;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * A barrier task blocked in a pull gives its slot back as soon as Spark kills it (here because
 * the other task of the stage fails), not at the pull deadline.
 */
@Timeout(180)
class KillWatchTest {
  private static final String TOKEN = "kill-watch-token-0123456789";

  @Test
  void aKilledTaskBlockedInAPullFreesItsSlotAtOnce() throws Exception {
    try (ParameterServer server = ParameterServer.start(ServerConfig.loopback(TOKEN))) {
      List<InetSocketAddress> shards = List.of(new InetSocketAddress("127.0.0.1", server.port()));
      try (ParameterServerAdmin admin = ParameterServerAdmin.connect(
          ClientConfig.of(shards, TOKEN))) {
        admin.init(JobSpec.sync(4, Sgd.of(0.1), 2));
      }
      SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("kill-watch")
          .set("spark.ui.enabled", "false");
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        ClassTag<Integer> tag = ClassTag$.MODULE$.apply(Integer.class);
        // task 1 waits for a round nobody will push (deadline 60 s); task 0 fails after 2 s
        assertThrows(Exception.class, () -> sc.parallelize(List.of(0, 1), 2).rdd().barrier()
            .mapPartitions(new PullOrFail(server.port()), false, tag).collect());
        long t0 = System.nanoTime();
        // a barrier stage of two tasks starts when both slots of local[2] are free: once the
        // killed task has returned
        sc.parallelize(List.of(0, 1), 2).rdd().barrier()
            .mapPartitions(new Identity(), false, tag).collect();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(seconds < 15, "the killed task held its slot for " + seconds + " s");
      }
    }
  }

  /** Returns its partition as it is. */
  private static final class Identity
      extends AbstractFunction1<Iterator<Integer>, Iterator<Integer>> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Integer> apply(Iterator<Integer> it) {
      return it;
    }
  }

  /** Partition 1 pulls a round that never comes under a {@link KillWatch}; partition 0 fails. */
  private static final class PullOrFail
      extends AbstractFunction1<Iterator<Integer>, Iterator<Integer>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int port;

    PullOrFail(int port) {
      this.port = port;
    }

    @Override
    public Iterator<Integer> apply(Iterator<Integer> it) {
      if (TaskContext.getPartitionId() == 0) {
        sleep(2000);
        throw new IllegalStateException("task 0 fails on purpose");
      }
      ClientConfig cc = ClientConfig.of(List.of(new InetSocketAddress("127.0.0.1", port)), TOKEN)
          .withPullDeadline(Duration.ofSeconds(60));
      try (ParameterServerClient client = ParameterServerClient.connect(cc);
          KillWatch watch = KillWatch.of(client)) {
        client.pull(5);
      }
      return JavaConverters.asScalaIterator(List.of(1).iterator());
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
