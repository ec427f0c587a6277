package zkynet.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import zkynet.Buffer;
import zkynet.ModuleBase;
import zkynet.Parameter;
import zkynet.Tensor;
import zkynet.io.CheckpointException.Kind;
import zkynet.io.CheckpointException.Problem;
import zkynet.train.Optimizer;

/**
 * A module's parameters saved as a NumPy {@code .npz} archive: a zip with one {@code .npy} array
 * per parameter, named by its path in {@link ModuleBase#namedParameters()}, and one per buffer
 * (non-trainable state such as batch normalisation's running statistics, {@link
 * ModuleBase#namedBuffers()}) after them (so
 * {@code numpy.load(f)["layers.0.w"]} reads it back), stored uncompressed as {@code numpy.savez}
 * does. Archives written by {@code numpy.savez} or {@code numpy.savez_compressed} load too.
 *
 * <p>Saving is atomic ({@link AtomicFiles}): a crash mid-save leaves the previous file intact.
 * Loading validates the whole file against the module first (every entry readable, no missing or
 * extra names, equal shapes and dtypes) and changes nothing unless everything matches; otherwise
 * it throws a {@link CheckpointException} listing each problem with the parameter it concerns.
 *
 * <p><b>Resumable training.</b> {@link #save(ModuleBase, Optimizer, Path)} also writes the
 * optimizer's state ({@link Optimizer#state()}: step count, current learning rate, hyperparameters,
 * momentum buffers and moments, per-parameter step counts) as entries under {@code optimizer/}
 * in the same file, taken together with the parameter values while no step runs; {@link
 * #load(ModuleBase, Optimizer, Path)} restores both in one atomic step, so save, load and continue
 * gives bit for bit the parameters of an uninterrupted run. Loading such a file with {@link
 * #load(ModuleBase, Path)} reads the parameters and ignores the optimizer entries.
 */
public final class Checkpoints {
  private static final String SUFFIX = ".npy";
  /** A fixed entry time keeps the bytes of a checkpoint a function of its content. */
  private static final long ENTRY_TIME = 315532800000L + 86_400_000L; // 1980-01-02 UTC

  private Checkpoints() {}

  /** Hook between entries (tests use it to fail mid-save). */
  interface EntryHook {
    void beforeEntry(String name) throws IOException;
  }

  /** The prefix of the optimizer's entries in a checkpoint. */
  public static final String OPTIMIZER_PREFIX = "optimizer/";

  /** Saves every parameter of {@code module} to {@code file}, atomically. */
  public static void save(ModuleBase module, Path file) throws IOException {
    save(module, file, name -> { });
  }

  static void save(ModuleBase module, Path file, EntryHook hook) throws IOException {
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    module.namedParameters().forEach((path, p) -> arrays.put(path, p.value()));
    module.namedBuffers().forEach((path, b) -> arrays.put(path, b.value()));
    write(arrays, file, hook);
  }

  /**
   * Saves every parameter of {@code module} and the state of {@code optimizer} to {@code file},
   * atomically. Both are read while holding the update locks of all their parameters, so the file
   * holds the values after some step and the optimizer state of that same step.
   */
  public static void save(ModuleBase module, Optimizer optimizer, Path file) throws IOException {
    Objects.requireNonNull(optimizer, "optimizer");
    Map<String, Parameter> params = module.namedParameters();
    Map<String, Buffer> buffers = module.namedBuffers();
    List<Parameter> all = union(params.values(), optimizer.parameters());
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    Parameter.update(all, current -> {
      int i = 0;
      for (String path : params.keySet()) {
        arrays.put(path, current[i++]);
      }
      buffers.forEach((path, b) -> arrays.put(path, b.value()));
      optimizer.state().forEach((k, v) -> arrays.put(OPTIMIZER_PREFIX + k, v));
      return new Tensor[current.length]; // nothing changes
    });
    write(arrays, file, name -> { });
  }

  /** The module's parameters, then the optimizer's others (a parameter once). */
  private static List<Parameter> union(Collection<Parameter> a, List<Parameter> b) {
    Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : a) {
      if (seen.add(p)) {
        out.add(p);
      }
    }
    for (Parameter p : b) {
      if (seen.add(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Writes named float arrays as an .npz archive, atomically. */
  public static void write(Map<String, Tensor> arrays, Path file) throws IOException {
    write(arrays, file, name -> { });
  }

  private static void write(Map<String, Tensor> arrays, Path file, EntryHook hook) throws IOException {
    Objects.requireNonNull(file, "file");
    AtomicFiles.write(file, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
        hook.beforeEntry(e.getKey());
        byte[] npy = Npy.encode(e.getValue());
        ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(npy.length);
        entry.setCompressedSize(npy.length);
        CRC32 crc = new CRC32();
        crc.update(npy);
        entry.setCrc(crc.getValue());
        entry.setTime(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(npy);
        zip.closeEntry();
      }
      zip.finish(); // writes the central directory; the stream itself is closed by AtomicFiles
    });
  }

  /**
   * Loads {@code file} into {@code module}'s parameters. Throws a {@link CheckpointException}
   * (module unchanged) when the file is corrupt or does not match the module. Entries under
   * {@code optimizer/} (written by {@link #save(ModuleBase, Optimizer, Path)}) are ignored.
   */
  public static void load(ModuleBase module, Path file) throws IOException {
    Map<String, Parameter> params = module.namedParameters();
    Map<String, Buffer> buffers = module.namedBuffers();
    Contents contents = readChecked(file, "into " + module.name());
    List<Problem> problems = checkParameters(params, buffers, contents);
    if (!problems.isEmpty()) {
      throw new CheckpointException(file, "into " + module.name(), problems, null);
    }
    // Everything matches: publish all values as one step (a concurrent call sees all or none).
    List<Parameter> targets = List.copyOf(params.values());
    Tensor[] values = params.keySet().stream().map(contents.arrays()::get).toArray(Tensor[]::new);
    Parameter.update(targets, current -> {
      setBuffers(buffers, contents);
      return values;
    });
  }

  /**
   * Loads {@code file} into {@code module}'s parameters and {@code optimizer}'s state (written by
   * {@link #save(ModuleBase, Optimizer, Path)}), as one atomic step: a concurrent step or call sees
   * all of it or none. A file without optimizer state (saved by {@link #save(ModuleBase, Path)}) is
   * an error of kind {@link Kind#OPTIMIZER} (load the parameters alone to start the optimizer
   * fresh); so is the state of another optimizer type, other hyperparameters, or buffers whose
   * shape or dtype differ from their parameter's. On any problem neither module nor optimizer
   * changes.
   */
  public static void load(ModuleBase module, Optimizer optimizer, Path file) throws IOException {
    Objects.requireNonNull(optimizer, "optimizer");
    Map<String, Parameter> params = module.namedParameters();
    String what = "into " + module.name() + " and its " + optimizer.type() + " optimizer";
    Map<String, Buffer> buffers = module.namedBuffers();
    Contents contents = readChecked(file, what);
    List<Problem> problems = checkParameters(params, buffers, contents);
    Map<String, Tensor> state = new LinkedHashMap<>();
    contents.arrays().forEach((k, v) -> {
      if (k.startsWith(OPTIMIZER_PREFIX)) {
        state.put(k.substring(OPTIMIZER_PREFIX.length()), v);
      }
    });
    contents.unsupported().forEach((k, h) -> {
      if (k.startsWith(OPTIMIZER_PREFIX)) {
        problems.add(new Problem(Kind.DTYPE, k, h.describeDtype() + " is not float32 or float64"));
      }
    });
    for (String p : optimizer.checkState(state)) {
      problems.add(new Problem(Kind.OPTIMIZER, OPTIMIZER_PREFIX + p.substring(0, p.indexOf(':')),
          p.substring(p.indexOf(':') + 2)));
    }
    if (!problems.isEmpty()) {
      throw new CheckpointException(file, what, problems, null);
    }
    List<Parameter> all = union(params.values(), optimizer.parameters());
    Parameter.update(all, current -> {
      Tensor[] next = new Tensor[current.length];
      int i = 0;
      for (String path : params.keySet()) {
        next[i++] = contents.arrays().get(path);
      }
      // Under the locks of the optimizer's parameters: no step runs. If publishing failed after
      // this (it cannot: every shape was checked), the state would be ahead of the values.
      optimizer.restoreState(state);
      setBuffers(buffers, contents);
      return next;
    });
  }

  /** The buffers' values from a checked file (under the parameters' update locks). */
  private static void setBuffers(Map<String, Buffer> buffers, Contents contents) {
    buffers.forEach((path, b) -> b.set(contents.arrays().get(path)));
  }

  /**
   * Every mismatch between the module's parameters and buffers and the file's non-optimizer
   * arrays.
   */
  private static List<Problem> checkParameters(Map<String, Parameter> parameters,
      Map<String, Buffer> buffers, Contents contents) {
    Map<String, Tensor> params = new LinkedHashMap<>();
    parameters.forEach((path, p) -> params.put(path, p.value()));
    buffers.forEach((path, b) -> params.put(path, b.value()));
    Map<String, Tensor> arrays = contents.arrays();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : params.entrySet()) {
      Tensor want = e.getValue();
      String kind = buffers.containsKey(e.getKey()) ? " buffer" : " parameter";
      Tensor got = arrays.get(e.getKey());
      Npy.Header other = contents.unsupported().get(e.getKey());
      if (other != null) {
        problems.add(new Problem(Kind.DTYPE, e.getKey(), other.describeDtype() + " in the file, "
            + want.dtype().name().toLowerCase() + " in the module"));
      } else if (got == null) {
        problems.add(new Problem(Kind.MISSING, e.getKey(), "the module has a "
            + describe(want) + kind + ", the file has no array '" + e.getKey() + "'"));
      } else if (got.dtype() != want.dtype()) {
        problems.add(new Problem(Kind.DTYPE, e.getKey(), got.dtype().name().toLowerCase()
            + " in the file, " + want.dtype().name().toLowerCase() + " in the module"));
      } else if (!Arrays.equals(got.shape(), want.shape())) {
        problems.add(new Problem(Kind.SHAPE, e.getKey(), Arrays.toString(got.shape())
            + " in the file, " + Arrays.toString(want.shape()) + " in the module"));
      }
    }
    for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
      if (!params.containsKey(e.getKey()) && !e.getKey().startsWith(OPTIMIZER_PREFIX)) {
        problems.add(new Problem(Kind.EXTRA, e.getKey(), "a " + describe(e.getValue())
            + " array the module has no parameter for; its parameters are " + params.keySet()));
      }
    }
    for (Map.Entry<String, Npy.Header> e : contents.unsupported().entrySet()) {
      if (!params.containsKey(e.getKey()) && !e.getKey().startsWith(OPTIMIZER_PREFIX)) {
        problems.add(new Problem(Kind.EXTRA, e.getKey(), "a " + e.getValue().describeDtype() + " "
            + Arrays.toString(e.getValue().shape()) + " array the module has no parameter for; its "
            + "parameters are " + params.keySet()));
      }
    }
    return problems;
  }

  /**
   * Reads every array of an .npz file (float32/float64 only), by name; a {@link
   * CheckpointException} naming the entry when the file or an entry is corrupt.
   */
  public static Map<String, Tensor> read(Path file) throws IOException {
    Contents c = readChecked(file, "");
    if (!c.unsupported().isEmpty()) {
      List<Problem> problems = new ArrayList<>();
      c.unsupported().forEach((name, h) -> problems.add(new Problem(Kind.DTYPE, name,
          h.describeDtype() + " is not float32 or float64")));
      throw new CheckpointException(file, "", problems, null);
    }
    return c.arrays();
  }

  /** The readable arrays, and the well-formed ones of a dtype zkynet does not read (by name). */
  private record Contents(Map<String, Tensor> arrays, Map<String, Npy.Header> unsupported) {}

  private static Contents readChecked(Path file, String what) throws IOException {
    Objects.requireNonNull(file, "file");
    Map<String, Tensor> out = new LinkedHashMap<>();
    Map<String, Npy.Header> unsupported = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        readEntry(zip, entries.nextElement(), out, unsupported, problems);
      }
    } catch (IOException | RuntimeException e) {
      // Every way the archive itself can fail (ZipException, EOFException with no message, an
      // IllegalArgumentException for a malformed name...) becomes one problem naming the file.
      problems.add(archiveProblem(file, e));
      throw new CheckpointException(file, what, problems, e);
    }
    if (!problems.isEmpty()) {
      throw new CheckpointException(file, what, problems, null);
    }
    return new Contents(out, unsupported);
  }

  private static Problem archiveProblem(Path file, Exception e) {
    if (!Files.exists(file)) {
      return new Problem(Kind.UNREADABLE, null, "no such file");
    }
    if (Files.isDirectory(file) || !Files.isReadable(file)) {
      return new Problem(Kind.UNREADABLE, null, Files.isDirectory(file) ? "it is a directory"
          : "permission denied");
    }
    return new Problem(Kind.CORRUPT, null, "not a readable .npz (zip) archive, it may be "
        + "truncated or damaged: " + reason(e));
  }

  /** An exception's message, or its kind when it has none (EOFException often has none). */
  private static String reason(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() + " (no details)" : m;
  }

  private static void readEntry(ZipFile zip, ZipEntry entry, Map<String, Tensor> out,
      Map<String, Npy.Header> unsupported, List<Problem> problems) {
    String entryName = entry.getName();
    String name = entryName.endsWith(SUFFIX)
        ? entryName.substring(0, entryName.length() - SUFFIX.length()) : entryName;
    if (entry.isDirectory() || !entryName.endsWith(SUFFIX)) {
      problems.add(new Problem(Kind.CORRUPT, entryName, "not a .npy array entry"));
    } else if (out.containsKey(name) || unsupported.containsKey(name)) {
      problems.add(new Problem(Kind.CORRUPT, name, "appears twice in the archive"));
    } else {
      try {
        out.put(name, readEntry(zip, entry));
      } catch (Npy.UnsupportedDtypeException e) {
        unsupported.put(name, e.header());
      } catch (IOException | RuntimeException e) {
        problems.add(new Problem(Kind.CORRUPT, name, reason(e)));
      }
    }
  }

  private static Tensor readEntry(ZipFile zip, ZipEntry entry) throws IOException {
    long size = entry.getSize();
    if (size > Integer.MAX_VALUE - 16) {
      throw new IOException("entry too large (" + size + " bytes)");
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readAllBytes();
    }
    if (size >= 0 && bytes.length != size) {
      throw new IOException("entry has " + bytes.length + " bytes, the archive says " + size);
    }
    long crc = entry.getCrc();
    if (crc != -1) {
      CRC32 c = new CRC32();
      c.update(bytes);
      if (c.getValue() != crc) {
        throw new IOException("checksum mismatch (CRC-32 " + Long.toHexString(c.getValue())
            + ", the archive says " + Long.toHexString(crc) + "): the bytes are damaged");
      }
    }
    return Npy.decode(bytes);
  }

  private static String describe(Tensor t) {
    return t.dtype().name().toLowerCase() + " " + Arrays.toString(t.shape());
  }
}
