package zkynet.bench;

import java.nio.file.Path;
import java.util.List;

/** The peers, by the name the command line uses; each runs in processes of its own. */
enum PeerKind {
  ZKYNET("zkynet", "zkynet"),
  PLAIN("plain", "plain Java"),
  GEMM("gemm", "GEMM-only"),
  DJL("djl", "DJL/PyTorch");

  final String id;
  final String title;

  PeerKind(String id, String title) {
    this.id = id;
    this.title = title;
  }

  static PeerKind parse(String id) {
    for (PeerKind p : values()) {
      if (p.id.equalsIgnoreCase(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown peer " + id + "; known: zkynet, plain, gemm, djl");
  }

  /** The GEMM-only limit exists for W3 only; the variants of a workload are zkynet's. */
  boolean supports(Workload w) {
    return w.base != null ? this == ZKYNET : this != GEMM || w == Workload.W3;
  }

  /** JVM options for this peer's processes besides the common ones. */
  List<String> jvmOptions(int threads, Path djlCache) {
    if (this != DJL) {
      return List.of();
    }
    return List.of("-Dai.djl.offline=true", // natives come from the pytorch-native-cpu jar, never downloaded
        "-DDJL_CACHE_DIR=" + djlCache, // where DJL extracts them
        "-Dai.djl.pytorch.num_threads=" + threads,
        "-Dai.djl.pytorch.num_interop_threads=" + threads);
  }
}
