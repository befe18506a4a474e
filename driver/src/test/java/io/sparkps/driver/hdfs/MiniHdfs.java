package io.sparkps.driver.hdfs;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS in this JVM (Hadoop's {@link MiniDFSCluster} from {@code hadoop-client-minicluster}):
 * one name node and one data node, every port an ephemeral one on 127.0.0.1, storage under
 * {@code target/minidfs-*}. Tests address it with full {@code hdfs://127.0.0.1:PORT/...} URIs, so
 * the shared Spark session's {@code fs.defaultFS} stays the local file system and other test
 * classes in the same JVM are unaffected. {@link #close} stops the cluster, closes the cached
 * client for its URI and deletes the storage.
 */
public final class MiniHdfs implements AutoCloseable {

  private final MiniDFSCluster cluster;
  private final URI uri;
  private final FileSystem fs;
  private final Set<Thread> threadsBefore;

  /** Names of the threads of the name node, data node and their servers. */
  private static final Pattern SERVER_THREAD = Pattern.compile("Listener at .*|IPC Server.*"
      + "|Socket Reader.*|DataXceiver.*|.*DataNode.*|.*NameNode.*|BP-.*|Command processor.*"
      + "|nioEventLoopGroup-.*|qtp.*|org\\.apache\\.hadoop\\.hdfs\\.server\\..*|FSEditLog.*"
      + "|CacheReplicationMonitor.*|VolumeScanner.*|.*DirectoryScanner.*|.*BlockReport.*"
      + "|Timer for '(NameNode|DataNode)' metrics.*|GcTimeMonitor.*");

  private MiniHdfs(MiniDFSCluster cluster, Set<Thread> threadsBefore) throws IOException {
    this.cluster = cluster;
    this.threadsBefore = threadsBefore;
    this.uri = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort());
    this.fs = FileSystem.get(uri, cluster.getConfiguration(0));
  }

  /** Starts a one-data-node cluster and waits until it is out of safe mode and accepts writes. */
  public static MiniHdfs start() throws IOException {
    Path target = Path.of("target").toAbsolutePath(); // Surefire runs in the module's folder
    Files.createDirectories(target);
    Path base = Files.createTempDirectory(target, "minidfs-");
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    Configuration conf = new Configuration();
    // Every listener on loopback; the web servers cannot be switched off in 3.3, so they get
    // ephemeral loopback ports too.
    conf.set(DFSConfigKeys.DFS_NAMENODE_HTTP_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_NAMENODE_HTTPS_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_HTTP_ADDRESS_KEY, "127.0.0.1:0");
    conf.set(DFSConfigKeys.DFS_DATANODE_IPC_ADDRESS_KEY, "127.0.0.1:0");
    conf.setBoolean("dfs.webhdfs.enabled", false);
    // the name node never stops this monitor thread of its JVM metrics
    conf.setBoolean("dfs.namenode.gc.time.monitor.enable", false);
    conf.setInt(DFSConfigKeys.DFS_REPLICATION_KEY, 1);
    // the data node registers and reports within a second, which waitActive waits for
    conf.setLong(DFSConfigKeys.DFS_HEARTBEAT_INTERVAL_KEY, 1);
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, new File(base.toString()))
        .numDataNodes(1)
        .format(true)
        .build();
    try {
      cluster.waitActive();
      return new MiniHdfs(cluster, before);
    } catch (IOException | RuntimeException e) {
      cluster.shutdown(true);
      throw e;
    }
  }

  /** {@code hdfs://127.0.0.1:PORT}. */
  public URI uri() {
    return uri;
  }

  /** The full URI of {@code path} (absolute, starting with {@code /}) on this cluster. */
  public String url(String path) {
    return uri + path;
  }

  /** A client of this cluster. */
  public FileSystem fs() {
    return fs;
  }

  /**
   * Stops the cluster, closes the cached client and deletes the storage, then waits up to 30 s
   * for the servers' threads to end; fails naming those still running.
   */
  @Override
  public void close() throws IOException {
    try {
      // the FileSystem cache keeps one client per scheme and authority: close this cluster's
      fs.close();
    } finally {
      cluster.shutdown(true);
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    List<Thread> left = serverThreads();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      // Hadoop 3.3.4's data node ends its command thread only by interrupting it once, from
      // the actor's stop; a thread that misses that interrupt (CI saw one once) waits on its
      // empty command queue for good. An interrupt there ends it, whatever the run flag says.
      left.stream().filter(t -> t.getName().startsWith("Command processor"))
          .forEach(Thread::interrupt);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      left = serverThreads();
    }
    if (!left.isEmpty()) {
      throw new IllegalStateException("the HDFS minicluster left threads running: "
          + left.stream().map(MiniHdfs::describe).toList());
    }
  }

  /** Live threads started since {@link #start} began that belong to the cluster's servers. */
  private List<Thread> serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !threadsBefore.contains(t))
        .filter(t -> SERVER_THREAD.matcher(t.getName()).matches())
        .sorted(Comparator.comparing(Thread::getName))
        .toList();
  }

  /** A thread's name, state and where it is, for the failure message. */
  private static String describe(Thread t) {
    StackTraceElement[] at = t.getStackTrace();
    return t.getName() + " (" + t.getState() + " at "
        + Arrays.stream(at).limit(4).map(String::valueOf).toList() + ")";
  }
}
