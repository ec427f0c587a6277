package zkynet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.io.CheckpointException.Kind;
import zkynet.train.TrainModels;

/**
 * Faults injected into checkpoints: a process killed while saving, damaged bytes at every offset,
 * damaged end records, stale temporary files, and errors that must name the target file.
 * {@code -Dzkynet.stress=true} kills more child processes.
 */
class CheckpointFaultTest {
  private static final boolean STRESS = Boolean.getBoolean("zkynet.stress");

  @TempDir
  Path dir;

  private static double[] values(TrainModels.Net m) {
    double[] w = m.param("dense.w").value().toDoubleArray();
    double[] b = m.param("dense.b").value().toDoubleArray();
    double[] all = Arrays.copyOf(w, w.length + b.length);
    System.arraycopy(b, 0, all, w.length, b.length);
    return all;
  }

  private List<Path> temporaries() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  /** Loads {@code file} into a fresh net; a CheckpointException leaves it unchanged. */
  private static CheckpointException loadFails(Path file) {
    TrainModels.Net target = SaveLoop.net(2, -7);
    List<Tensor> before = target.parameters().stream().map(Parameter::value).toList();
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.load(target, file));
    List<Tensor> after = target.parameters().stream().map(Parameter::value).toList();
    for (int i = 0; i < before.size(); i++) {
      assertTrue(before.get(i) == after.get(i), "parameter " + i + " was changed");
    }
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    return e;
  }

  @Test
  void aChildKilledWhileSavingLeavesTheOldOrTheNewFileAndTheNextSaveRemovesItsTemporary()
      throws Exception {
    Path file = dir.resolve("net.npz");
    int rows = 4096; // 1 MB of weights: a save takes long enough to be killed in the middle
    Checkpoints.save(SaveLoop.net(rows, 0), file);
    int kills = STRESS ? 20 : 2;
    int orphans = 0;
    for (int k = 0; k < kills; k++) {
      boolean pause = k % 2 == 0; // every other child is killed exactly between the two entries
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          SaveLoop.class.getName(),
          file.toString(), pause ? "pause" : "loop", String.valueOf(rows))
          .redirectErrorStream(true).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        String awaited = pause ? "MIDSAVE" : "saved 1";
        String line;
        while ((line = out.readLine()) != null && !line.equals(awaited)) {
          // skip ND4J's start-up lines
        }
        assertEquals(awaited, line, "the child saver did not get to the point of being killed");
        if (!pause) {
          Thread.sleep(new Random(k).nextInt(200));
        }
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
      orphans += temporaries().size() > 0 ? 1 : 0;
      // The file is a complete checkpoint of one generation: all values equal.
      TrainModels.Net loaded = SaveLoop.net(rows, -1);
      Checkpoints.load(loaded, file);
      double[] v = values(loaded);
      double generation = v[0];
      assertTrue(generation >= 0 && generation == Math.rint(generation), "generation " + generation);
      for (double x : v) {
        assertEquals(generation, x, "a torn checkpoint after kill " + k);
      }
    }
    assertTrue(orphans >= 1, "at least the paused kills leave a temporary file behind");
    System.out.println("[CheckpointFaultTest] " + kills + " child savers killed (SIGKILL), " + orphans
        + " left a temporary file; every load gave one whole generation");
    Checkpoints.save(SaveLoop.net(rows, 99), file);
    assertEquals(List.of(), temporaries(), "the next save removes the dead savers' temporaries");
    TrainModels.Net loaded = SaveLoop.net(rows, -1);
    Checkpoints.load(loaded, file);
    assertEquals(99.0, values(loaded)[0]);
  }

  @Test
  void aDamagedByteAtAnyOffsetIsRejectedOrHarmlessNeverSilentlyWrong() throws Exception {
    Path good = dir.resolve("good.npz");
    TrainModels.Net saved = new TrainModels.Net(Tensor.of(new double[] {1, 2, 3, 4, 5, 6},
        zkynet.DType.FLOAT32, 2, 3), Tensor.of(0.25f, -0.5f, 1f));
    Checkpoints.save(saved, good);
    double[] expected = values(saved);
    byte[] bytes = Files.readAllBytes(good);
    Path bad = dir.resolve("bad.npz");
    int rejected = 0;
    int harmless = 0;
    for (int offset = 0; offset < bytes.length; offset++) {
      byte[] damaged = bytes.clone();
      damaged[offset] ^= (byte) 0xFF;
      Files.write(bad, damaged);
      TrainModels.Net target = new TrainModels.Net(Tensor.zeros(zkynet.DType.FLOAT32, 2, 3),
          Tensor.zeros(zkynet.DType.FLOAT32, 3));
      try {
        Checkpoints.load(target, bad);
        // Bytes the zip reader does not use (times, "version made by", the local copies of the
        // central directory's fields): the load must then give exactly the saved values.
        assertArrayEquals(expected, values(target), 0, "offset " + offset + " loaded wrong values");
        harmless++;
      } catch (CheckpointException e) {
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(values(target)[0] == 0 && values(target)[8] == 0, "offset " + offset
            + ": the module was changed by a failed load");
        rejected++;
      }
    }
    assertEquals(bytes.length, rejected + harmless);
    assertTrue(rejected > bytes.length * 3 / 4, rejected + " of " + bytes.length + " rejected");
    System.out.println("[CheckpointFaultTest] damaged bytes: " + bytes.length + " offsets, " + rejected
        + " rejected with CheckpointException, " + harmless + " in unused fields loaded the same values");
  }

  @Test
  void aDamagedOrMissingEndRecordIsACheckpointExceptionNamingTheFile() throws Exception {
    Path f = dir.resolve("net.npz");
    Checkpoints.save(SaveLoop.net(2, 1), f);
    byte[] bytes = Files.readAllBytes(f);
    for (int cut = 1; cut <= 22; cut++) { // the end of central directory record is 22 bytes
      Files.write(f, Arrays.copyOf(bytes, bytes.length - cut));
      CheckpointException e = loadFails(f);
      assertEquals(Kind.CORRUPT, e.kind());
      assertFalse(e.getMessage().contains("null"), e.getMessage());
    }
    byte[] zeroed = bytes.clone();
    Arrays.fill(zeroed, bytes.length - 22, bytes.length, (byte) 0);
    Files.write(f, zeroed);
    assertEquals(Kind.CORRUPT, loadFails(f).kind());
    Files.write(f, new byte[0]);
    assertEquals(Kind.CORRUPT, loadFails(f).kind());
    Path directory = Files.createDirectory(dir.resolve("a-directory.npz"));
    assertEquals(Kind.UNREADABLE, loadFails(directory).kind());
  }

  @Test
  void aSaveRemovesStaleTemporariesOfItsTargetOnly() throws Exception {
    Path file = dir.resolve("net.npz");
    Path stale = Files.writeString(dir.resolve(".net.npz.0123abcd.tmp"), "left by a crash");
    Path staleToo = Files.writeString(dir.resolve(".net.npz.ffffffffffffffff.tmp"), "");
    Path otherTarget = Files.writeString(dir.resolve(".other.npz.0123abcd.tmp"), "not ours");
    Path notATemporary = Files.writeString(dir.resolve(".net.npz.notes.tmp"), "not ours");
    Path live = Files.writeString(dir.resolve(".net.npz.00000001.tmp"), "being written");
    try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) { // a live writer holds its temporary file locked
      Checkpoints.save(SaveLoop.net(2, 1), file);
      assertFalse(Files.exists(stale));
      assertFalse(Files.exists(staleToo));
      assertTrue(Files.exists(otherTarget));
      assertTrue(Files.exists(notATemporary));
      assertTrue(Files.exists(live), "a temporary file that is locked belongs to a live writer");
    }
  }

  @Test
  void saveErrorsNameTheTargetNotTheTemporaryFile() throws Exception {
    Path target = dir.resolve("taken.npz");
    Files.createDirectory(target);
    Files.writeString(target.resolve("inside"), "a directory cannot be replaced by a file");
    IOException e = assertThrows(IOException.class,
        () -> Checkpoints.save(SaveLoop.net(2, 1), target));
    assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
    assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    assertEquals(List.of(), temporaries());
    Path underAFile = dir.resolve("inside-a-file.npz");
    Files.writeString(underAFile, "x");
    e = assertThrows(IOException.class,
        () -> Checkpoints.save(SaveLoop.net(2, 1), underAFile.resolve("net.npz")));
    assertTrue(e.getMessage().contains(underAFile.resolve("net.npz").toString()), e.getMessage());
  }
}
