package zkynet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.DType;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.io.CheckpointException.Kind;
import zkynet.train.Init;
import zkynet.train.TrainModels;

/** Saving and loading parameters as .npz: round trips, numpy's files, and every kind of mismatch. */
class CheckpointsTest {
  /** numpy.savez(f, **{'dense.w': [[1, 2, 3], [4, 5, 6]] float32, 'dense.b': [0.25, -0.5, 1] float32}). */
  static final String NUMPY_SAVEZ = "UEsDBC0AAAAAAAAAIQB8nN6i//////////8LABQAZGVuc2Uudy5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAzKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAACAPwAAAEAAAEBAAACAQAAAoEAAAMBAUEsDBC0AAAAAAAAAIQBbzh8H//////////8LABQAZGVuc2UuYi5ucHkBABAAjAAAAAAAAACMAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAACAPgAAAL8AAIA/UEsBAi0DLQAAAAAAAAAhAHyc3qKYAAAAmAAAAAsAAAAAAAAAAAAAAIABAAAAAGRlbnNlLncubnB5UEsBAi0DLQAAAAAAAAAhAFvOHweMAAAAjAAAAAsAAAAAAAAAAAAAAIAB1QAAAGRlbnNlLmIubnB5UEsFBgAAAAACAAIAcgAAAJ4BAAAAAA==";
  /**
   * numpy.savez_compressed of the same values, with 'dense.w' in Fortran order and 'dense.b' as
   * big-endian float32 ('>f4'): deflated zip64 entries.
   */
  static final String NUMPY_SAVEZ_COMPRESSED = "UEsDBC0AAAAIAAAAIQCyZ90j//////////8LABQAZGVuc2Uudy5ucHkBABAAmAAAAAAAAABXAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEg8pKk0FChdnJBakArkaRjoKxpo6CrUK5AMuBoYGeyB2YGBgAOIFQOwAxAccAFBLAwQtAAAACAAAACEAzL3NAf//////////CwAUAGRlbnNlLmIubnB5AQAQAIwAAAAAAAAATwAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBul2airqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RrGOpo6CrUKFAAuuwYGhv0MDAz2QBoAUEsBAi0DLQAAAAgAAAAhALJn3SNXAAAAmAAAAAsAAAAAAAAAAAAAAIABAAAAAGRlbnNlLncubnB5UEsBAi0DLQAAAAgAAAAhAMy9zQFPAAAAjAAAAAsAAAAAAAAAAAAAAIABlAAAAGRlbnNlLmIubnB5UEsFBgAAAAACAAIAcgAAACABAAAAAA==";
  /** numpy.savez with 'dense.w' as int64. */
  static final String NUMPY_SAVEZ_INT64 = "UEsDBC0AAAAAAAAAIQCiY/KK//////////8LABQAZGVuc2Uudy5ucHkBABAAsAAAAAAAAACwAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAzKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAQAAAAAAAAACAAAAAAAAAAMAAAAAAAAABAAAAAAAAAAFAAAAAAAAAAYAAAAAAAAAUEsDBC0AAAAAAAAAIQBbzh8H//////////8LABQAZGVuc2UuYi5ucHkBABAAjAAAAAAAAACMAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAACAPgAAAL8AAIA/UEsBAi0DLQAAAAAAAAAhAKJj8oqwAAAAsAAAAAsAAAAAAAAAAAAAAIABAAAAAGRlbnNlLncubnB5UEsBAi0DLQAAAAAAAAAhAFvOHweMAAAAjAAAAAsAAAAAAAAAAAAAAIAB7QAAAGRlbnNlLmIubnB5UEsFBgAAAAACAAIAcgAAALYBAAAAAA==";

  @TempDir
  Path dir;

  private static TrainModels.Net net(long seed) {
    Random rng = new Random(seed);
    return new TrainModels.Net(Init.heNormal(rng, DType.FLOAT32, 2, 3), Tensor.randn(rng, DType.FLOAT32, 3));
  }

  private static TrainModels.Net net(int in, int out) {
    return new TrainModels.Net(Tensor.zeros(DType.FLOAT32, in, out), Tensor.zeros(DType.FLOAT32, out));
  }

  private static Map<String, double[]> snapshot(zkynet.ModuleBase m) {
    Map<String, double[]> out = new LinkedHashMap<>();
    m.namedParameters().forEach((k, p) -> out.put(k, p.value().toDoubleArray()));
    return out;
  }

  private static void assertSameValues(Map<String, double[]> a, Map<String, double[]> b) {
    assertEquals(a.keySet(), b.keySet());
    a.forEach((k, v) -> assertArrayEquals(v, b.get(k), 0, k));
  }

  private Path numpyFile(String base64) throws IOException {
    Path f = dir.resolve("numpy.npz");
    Files.write(f, Base64.getDecoder().decode(base64));
    return f;
  }

  @Test
  void saveThenLoadRoundTrips() throws Exception {
    TrainModels.Net a = net(1);
    Path f = dir.resolve("net.npz");
    Checkpoints.save(a, f);
    TrainModels.Net b = net(2);
    Checkpoints.load(b, f);
    assertSameValues(snapshot(a), snapshot(b));
    assertEquals(List.of("dense.w", "dense.b"), List.copyOf(Checkpoints.read(f).keySet()));
    // float64 too, and saving is deterministic: same parameters, same bytes.
    TrainModels.Net c = new TrainModels.Net(Tensor.of(new double[] {Math.PI, Math.E}, DType.FLOAT64, 2, 1),
        Tensor.of(new double[] {1e-300}, DType.FLOAT64, 1));
    Path g = dir.resolve("c.npz");
    Checkpoints.save(c, g);
    TrainModels.Net d = new TrainModels.Net(Tensor.zeros(DType.FLOAT64, 2, 1), Tensor.zeros(DType.FLOAT64, 1));
    Checkpoints.load(d, g);
    assertSameValues(snapshot(c), snapshot(d));
    Path h = dir.resolve("c2.npz");
    Checkpoints.save(d, h);
    assertArrayEquals(Files.readAllBytes(g), Files.readAllBytes(h));
  }

  @Test
  void loadsWhatNumpySavezWrites() throws Exception {
    for (String file : new String[] {NUMPY_SAVEZ, NUMPY_SAVEZ_COMPRESSED}) {
      TrainModels.Net n = net(2, 3);
      Checkpoints.load(n, numpyFile(file));
      assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, n.param("dense.w").value().toDoubleArray(), 0);
      assertArrayEquals(new double[] {0.25, -0.5, 1}, n.param("dense.b").value().toDoubleArray(), 0);
    }
  }

  @Test
  void savedEntriesAreNpyFilesNamedByParameterPath() throws Exception {
    TrainModels.Net a = net(1);
    Path f = dir.resolve("net.npz");
    Checkpoints.save(a, f);
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(f.toFile())) {
      List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
      assertEquals(List.of("dense.w.npy", "dense.b.npy"), names);
      byte[] w = zip.getInputStream(zip.getEntry("dense.w.npy")).readAllBytes();
      assertArrayEquals(Npy.encode(a.param("dense.w").value()), w);
    }
  }

  private CheckpointException loadFails(TrainModels.Net target, Path file) {
    Map<String, double[]> before = snapshot(target);
    Map<String, Parameter> params = target.namedParameters();
    List<Tensor> values = params.values().stream().map(Parameter::value).toList();
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(target, file));
    assertSameValues(before, snapshot(target));
    List<Tensor> after = params.values().stream().map(Parameter::value).toList();
    for (int i = 0; i < values.size(); i++) {
      assertTrue(values.get(i) == after.get(i), "parameter " + i + " was not replaced");
    }
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
    return e;
  }

  @Test
  void mismatchedShapeNamesTheParameterAndBothShapes() throws Exception {
    Path f = dir.resolve("net.npz");
    Checkpoints.save(net(1), f); // dense.w [2, 3], dense.b [3]
    CheckpointException e = loadFails(net(4, 3), f);
    assertEquals(1, e.problems().size());
    assertEquals(Kind.SHAPE, e.kind());
    assertEquals("dense.w", e.problems().get(0).name());
    assertTrue(e.getMessage().contains("wrong shape for parameter 'dense.w': [2, 3] in the file, [4, 3] in the module"),
        e.getMessage());
  }

  @Test
  void missingAndExtraNames() throws Exception {
    Path f = dir.resolve("partial.npz");
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    arrays.put("dense.w", Tensor.zeros(DType.FLOAT32, 2, 3));
    arrays.put("dense.bias", Tensor.zeros(DType.FLOAT32, 3));
    Checkpoints.write(arrays, f);
    CheckpointException e = loadFails(net(1), f);
    assertEquals(2, e.problems().size());
    assertEquals(Kind.MISSING, e.problems().get(0).kind());
    assertEquals("dense.b", e.problems().get(0).name());
    assertEquals(Kind.EXTRA, e.problems().get(1).kind());
    assertEquals("dense.bias", e.problems().get(1).name());
    assertTrue(e.getMessage().contains("missing parameter 'dense.b'"), e.getMessage());
    assertTrue(e.getMessage().contains("unexpected array 'dense.bias'"), e.getMessage());
  }

  @Test
  void wrongDtype() throws Exception {
    Path f = dir.resolve("f64.npz");
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    arrays.put("dense.w", Tensor.zeros(DType.FLOAT64, 2, 3));
    arrays.put("dense.b", Tensor.zeros(DType.FLOAT32, 3));
    Checkpoints.write(arrays, f);
    CheckpointException e = loadFails(net(1), f);
    assertEquals(Kind.DTYPE, e.kind());
    assertTrue(e.getMessage().contains("wrong dtype for parameter 'dense.w': float64 in the file, float32 in the module"),
        e.getMessage());
    // An integer array written by numpy.
    e = loadFails(net(2, 3), numpyFile(NUMPY_SAVEZ_INT64));
    assertEquals(Kind.DTYPE, e.kind());
    assertTrue(e.getMessage().contains("'dense.w': int64 ('<i8') in the file"), e.getMessage());
  }

  @Test
  void corruptBytesAreDetectedByTheChecksum() throws Exception {
    Path f = dir.resolve("net.npz");
    Checkpoints.save(net(1), f);
    byte[] bytes = Files.readAllBytes(f);
    // The last data byte of the first entry (dense.w: 30-byte local header + 11-byte name, then
    // 128 bytes of .npy header and 24 bytes of data).
    int pos = 30 + "dense.w.npy".length() + 128 + 23;
    bytes[pos] ^= 0x55;
    Files.write(f, bytes);
    CheckpointException e = loadFails(net(1), f);
    assertEquals(Kind.CORRUPT, e.kind());
    assertEquals("dense.w", e.problems().get(0).name());
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void truncatedOrGarbageFilesAreCorrupt() throws Exception {
    Path f = dir.resolve("net.npz");
    Checkpoints.save(net(1), f);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, bytes.length / 2));
    CheckpointException e = loadFails(net(1), f);
    assertEquals(Kind.CORRUPT, e.kind());
    assertTrue(e.getMessage().contains("not a readable .npz (zip) archive"), e.getMessage());
    Files.writeString(f, "this is not a zip file at all");
    assertEquals(Kind.CORRUPT, loadFails(net(1), f).kind());
    e = loadFails(net(1), dir.resolve("absent.npz"));
    assertEquals(Kind.UNREADABLE, e.kind());
    assertTrue(e.getMessage().contains("unreadable file: no such file"), e.getMessage());
  }

  @Test
  void aFailedSaveLeavesTheOldFileIntactAndNoTemporaryFile() throws Exception {
    Path f = dir.resolve("net.npz");
    TrainModels.Net old = net(1);
    Checkpoints.save(old, f);
    byte[] before = Files.readAllBytes(f);
    // Fail after the first entry has been written: a crash mid-save.
    IOException e = assertThrows(IOException.class, () -> Checkpoints.save(net(2), f, name -> {
      if (name.equals("dense.b")) {
        throw new IOException("disk full (simulated)");
      }
    }));
    assertEquals("disk full (simulated)", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(f));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
    }
    TrainModels.Net check = net(3);
    Checkpoints.load(check, f);
    assertSameValues(snapshot(old), snapshot(check));
    // A runtime failure in the middle behaves the same.
    assertThrows(IllegalStateException.class, () -> Checkpoints.save(net(2), f, name -> {
      throw new IllegalStateException("boom");
    }));
    assertArrayEquals(before, Files.readAllBytes(f));
  }

  @Test
  void aSuccessfulSaveReplacesTheFile() throws Exception {
    Path f = dir.resolve("sub/dir/net.npz");
    Checkpoints.save(net(1), f);
    TrainModels.Net b = net(2);
    Checkpoints.save(b, f);
    TrainModels.Net c = net(3);
    Checkpoints.load(c, f);
    assertSameValues(snapshot(b), snapshot(c));
    try (Stream<Path> files = Files.list(f.getParent())) {
      assertEquals(1, files.count());
    }
    assertFalse(Files.exists(dir.resolve("sub/dir/.net.npz.tmp")));
  }
}
