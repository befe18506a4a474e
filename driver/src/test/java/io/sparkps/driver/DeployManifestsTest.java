package io.sparkps.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deployment files parse, carry the fields their kinds require, and pass SparkPS command
 * lines that SparkPS's own parser accepts (a renamed flag breaks this test, not a cluster).
 */
class DeployManifestsTest {
  private static final Path DEPLOY = io.sparkps.core.TestData.dir().resolve("../../deploy")
      .normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<JsonNode> documents(String file) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser p = new YAMLFactory().createParser(DEPLOY.resolve(file).toFile())) {
      for (JsonNode n : YAML.readValues(p, JsonNode.class).readAll()) {
        docs.add(n);
      }
    }
    return docs;
  }

  /** Parses a SparkPS argument list as the command line would, without running it. */
  static void assertSparkPsAccepts(List<String> args) {
    CommandLine cli = new CommandLine(new SparkPsCli());
    cli.addSubcommand("ps", new io.sparkps.ps.ParameterServerMain());
    CommandLine.ParseResult r = cli.parseArgs(args.toArray(String[]::new));
    assertTrue(r.hasSubcommand(), "no subcommand in " + args);
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void sparkApplicationRunsTheDriverWithValidArguments() throws Exception {
    JsonNode app = documents("kubernetes/sparkapplication.yaml").get(0);
    assertEquals("sparkoperator.k8s.io/v1beta2", app.get("apiVersion").asText());
    assertEquals("SparkApplication", app.get("kind").asText());
    JsonNode spec = app.get("spec");
    assertEquals("io.sparkps.driver.SparkPsCli", spec.get("mainClass").asText());
    assertTrue(spec.get("mainApplicationFile").asText().endsWith("sparkps.jar"));
    assertEquals("false", spec.get("sparkConf").get("spark.dynamicAllocation.enabled").asText(),
        "barrier stages need a fixed set of executors");
    int workers = Integer.parseInt(texts(spec.get("arguments")).get(
        texts(spec.get("arguments")).indexOf("--workers") + 1));
    assertTrue(workers <= spec.get("executor").get("instances").asInt()
        * spec.get("executor").get("cores").asInt(), "--workers must fit the executors' slots");
    assertSparkPsAccepts(texts(spec.get("arguments")));
    assertTrue(spec.get("sparkConf").get("spark.executor.extraJavaOptions").asText()
        .contains("--add-modules jdk.incubator.vector"), "executors get the Vector API module");
  }

  @Test
  void cronJobSubmitsARetrainThatParses() throws Exception {
    JsonNode job = documents("kubernetes/retrain-cronjob.yaml").get(0);
    assertEquals("CronJob", job.get("kind").asText());
    assertEquals(5, job.get("spec").get("schedule").asText().split("\\s+").length);
    JsonNode c = job.at("/spec/jobTemplate/spec/template/spec/containers/0");
    List<String> args = texts(c.get("args"));
    assertSparkPsAccepts(args.subList(args.indexOf("local:///opt/sparkps/sparkps.jar") + 1,
        args.size()));
    assertTrue(args.contains("spark.executor.extraJavaOptions=--add-modules "
        + "jdk.incubator.vector"), "executors get the Vector API module: " + args);
  }

  @Test
  void parameterServerServiceSelectsTheStatefulSetAndItsArgumentsParse() throws Exception {
    List<JsonNode> docs = documents("kubernetes/parameter-server.yaml");
    JsonNode service = docs.get(0);
    JsonNode set = docs.get(1);
    assertEquals("Service", service.get("kind").asText());
    assertEquals("StatefulSet", set.get("kind").asText());
    assertEquals(service.at("/metadata/name"), set.at("/spec/serviceName"),
        "the headless service gives the pods their stable names");
    JsonNode labels = set.at("/spec/template/metadata/labels");
    assertEquals(set.at("/spec/selector/matchLabels"), labels);
    service.get("spec").get("selector").fields().forEachRemaining(e ->
        assertEquals(e.getValue(), labels.get(e.getKey()), "service selects the pods"));
    JsonNode container = set.at("/spec/template/spec/containers/0");
    List<String> args = texts(container.get("args"));
    String index = args.get(args.indexOf("--process-index") + 1);
    assertEquals("$(POD_INDEX)", index);
    assertEquals("metadata.labels['apps.kubernetes.io/pod-index']",
        container.at("/env/0/valueFrom/fieldRef/fieldPath").asText());
    List<String> ps = new ArrayList<>(List.of("ps"));
    args.forEach(a -> ps.add(a.equals(index) ? "1" : a));
    assertSparkPsAccepts(ps);
  }

  /** The keyed job lists one address per shard, in the order the StatefulSet's pods host them. */
  @Test
  void keyedJobNamesEveryShardOfTheStatefulSetInOrder() throws Exception {
    JsonNode set = documents("kubernetes/parameter-server.yaml").get(1);
    List<String> psArgs = texts(set.at("/spec/template/spec/containers/0/args"));
    int shards = Integer.parseInt(psArgs.get(psArgs.indexOf("--shards") + 1));
    int port = Integer.parseInt(psArgs.get(psArgs.indexOf("--port") + 1));
    int pods = set.at("/spec/replicas").asInt();
    String name = set.at("/metadata/name").asText();
    String namespace = set.at("/metadata/namespace").asText();
    List<String> expected = new ArrayList<>();
    for (int shard = 0; shard < pods * shards; shard++) {
      expected.add(name + "-" + (shard / shards) + "." + set.at("/spec/serviceName").asText()
          + "." + namespace + ".svc:" + port);
    }
    JsonNode app = documents("kubernetes/sparkapplication-keyed.yaml").get(0);
    List<String> args = texts(app.at("/spec/arguments"));
    assertEquals(expected, List.of(args.get(args.indexOf("--ps") + 1).split(",")));
    assertEquals("keyed", args.get(args.indexOf("--ps-layout") + 1));
    assertTrue(args.get(args.indexOf("--out") + 1).contains("://"),
        "the shards write the model: --out must be a URI every pod reaches");
    assertSparkPsAccepts(args);
  }

  @Test
  void crontabAndDagRunValidCommands() throws Exception {
    String cron = Files.readString(DEPLOY.resolve("schedule/crontab")).lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    String[] fields = cron.split("\\s+", 6);
    String command = fields[5];
    String sparkps = command.substring(command.indexOf(" -- ") + 4, command.indexOf(" >>"));
    assertSparkPsAccepts(List.of(sparkps.split("\\s+")));
    Path dag = DEPLOY.resolve("schedule/sparkps_retrain_dag.py");
    String py = Files.readString(dag);
    assertTrue(py.contains("code == 3"), "the DAG treats exit code 3 as the gate's rejection");
    // python's own parser, without writing __pycache__ into the repository
    Process p = new ProcessBuilder("python3", "-c",
        "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])", dag.toString())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    assertFalse(Files.readString(DEPLOY.resolve("docker/Dockerfile")).isBlank());
  }
}
