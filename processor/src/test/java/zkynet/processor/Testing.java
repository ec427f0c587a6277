package zkynet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Shared helpers: compile sources (with the runtime stubs) through the processor, locate lines, read output. */
final class Testing {
  private Testing() {}

  /** A test source: its text (to find the line of a snippet) and the file javac sees. */
  record Source(String name, String text, JavaFileObject file) {
    /** The 1-based line of the only occurrence of {@code snippet}. */
    int line(String snippet) {
      int at = text.indexOf(snippet);
      if (at < 0) {
        throw new IllegalArgumentException("snippet <" + snippet + "> not in " + name);
      }
      if (text.indexOf(snippet, at + 1) >= 0) {
        throw new IllegalArgumentException("snippet <" + snippet + "> occurs twice in " + name);
      }
      int line = 1;
      for (int i = 0; i < at; i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }
  }

  /** One expected error: the exact message text, the file and the snippet whose line it is on. */
  record Expected(String message, Source file, String snippet) {}

  static Source source(String qualifiedName, String text) {
    return new Source(qualifiedName, text, JavaFileObjects.forSourceString(qualifiedName, text));
  }

  /** A source read from a test resource (e.g. {@code golden/Activations.java}). */
  static Source resource(String qualifiedName, String path) {
    return source(qualifiedName, resourceText(path));
  }

  static String resourceText(String path) {
    try (InputStream in = Testing.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Expected error(String message, Source file, String snippet) {
    return new Expected(message, file, snippet);
  }

  /** Compiles {@code sources} together with every runtime stub, with the zkynet processor. */
  static Compilation compile(Source... sources) {
    return compileWith(Stubs.all(), sources);
  }

  static Compilation compileWith(List<JavaFileObject> stubs, Source... sources) {
    List<JavaFileObject> files = new ArrayList<>(stubs);
    for (Source s : sources) {
      files.add(s.file());
    }
    return Compiler.javac().withProcessors(new ZkynetProcessor()).compile(files);
  }

  /**
   * Asserts that compilation failed with exactly the given zkynet errors (messages starting with
   * {@code [ZK}), each with its exact text, in its file, on its line, and no other error: a zkynet
   * error drags no follow-on error along (such as {@code cannot find symbol Zk_Foo} for a rejected
   * module).
   */
  static void assertErrors(Compilation compilation, Expected... expected) {
    assertThat(compilation).failed();
    for (Expected e : expected) {
      assertThat(compilation).hadErrorContaining(e.message()).inFile(e.file().file())
          .onLine(e.file().line(e.snippet()));
      assertTrue(compilation.errors().stream().anyMatch(d -> message(d).equals(e.message())),
          () -> "no error with exactly the text\n  " + e.message() + "\nerrors were:\n"
              + describe(compilation.errors()));
    }
    List<Diagnostic<? extends JavaFileObject>> ours = zkynetErrors(compilation);
    assertEquals(expected.length, ours.size(),
        () -> "expected " + expected.length + " zkynet error(s), got:\n" + describe(ours));
    assertEquals(ours.size(), compilation.errors().size(),
        () -> "follow-on errors after zkynet's:\n" + describe(compilation.errors()));
  }

  static List<Diagnostic<? extends JavaFileObject>> zkynetErrors(Compilation compilation) {
    return compilation.errors().stream().filter(d -> message(d).startsWith("[ZK")).toList();
  }

  static String message(Diagnostic<? extends JavaFileObject> d) {
    return d.getMessage(Locale.ROOT);
  }

  static String describe(List<? extends Diagnostic<? extends JavaFileObject>> diagnostics) {
    StringBuilder s = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
      s.append("  ").append(d.getSource() == null ? "?" : d.getSource().getName()).append(':')
          .append(d.getLineNumber()).append(": ").append(message(d)).append('\n');
    }
    return s.toString();
  }

  /** Asserts success (no errors at all) and returns the generated source {@code qualifiedName}. */
  static String generated(Compilation compilation, String qualifiedName) {
    if (compilation.status() != Compilation.Status.SUCCESS) {
      fail("compilation failed:\n" + describe(compilation.diagnostics()));
    }
    return generatedOrEmpty(compilation, qualifiedName).orElseGet(() -> {
      List<String> names = compilation.generatedSourceFiles().stream()
          .map(JavaFileObject::getName).toList();
      return fail("no generated source " + qualifiedName + "; generated: " + names);
    });
  }

  /** The text of generated source {@code qualifiedName}, if it was generated. */
  static Optional<String> generatedOrEmpty(Compilation compilation, String qualifiedName) {
    return compilation.generatedSourceFile(qualifiedName).map(Testing::read);
  }

  static String read(JavaFileObject file) {
    try {
      return file.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts that {@code parts} occur in {@code text} in this order. */
  static void assertInOrder(String text, String... parts) {
    int from = 0;
    for (String p : parts) {
      int at = text.indexOf(p, from);
      if (at < 0) {
        fail("expected, after offset " + from + ":\n  " + p + "\n"
            + (text.contains(p) ? "(it occurs, but earlier)\n" : "(it does not occur)\n")
            + "in:\n" + text);
      }
      from = at + p.length();
    }
  }

  /** Asserts that {@code text} contains every part. */
  static void assertContains(String text, String... parts) {
    for (String p : parts) {
      assertTrue(text.contains(p), () -> "expected to contain:\n  " + p + "\nin:\n" + text);
    }
  }

  static void assertNotContains(String text, String... parts) {
    for (String p : parts) {
      assertTrue(!text.contains(p), () -> "expected NOT to contain:\n  " + p + "\nin:\n" + text);
    }
  }

  // ---------------------------------------------------------------- compiling without compile-testing

  /** What a compilation generated, available whether or not it succeeded. */
  record Recorded(boolean success, List<String> generatedSources,
      List<Diagnostic<? extends JavaFileObject>> diagnostics) {}

  /**
   * Compiles like {@link #compile} but with plain javac and an in-memory file manager that records
   * every source file the processor creates. Unlike compile-testing, which hides generated files
   * when compilation fails, this tells what was generated alongside the errors.
   */
  static Recorded compileRecording(Source... sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
    List<String> generated = new ArrayList<>();
    JavaFileManager recording = new ForwardingJavaFileManager<>(standard) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className,
          JavaFileObject.Kind kind, FileObject sibling) {
        if (kind == JavaFileObject.Kind.SOURCE) {
          generated.add(className);
        }
        return new InMemoryOutput(className, kind);
      }
    };
    List<JavaFileObject> files = new ArrayList<>(Stubs.all());
    for (Source s : sources) {
      files.add(s.file());
    }
    JavaCompiler.CompilationTask task =
        javac.getTask(null, recording, diagnostics, List.of(), null, files);
    task.setProcessors(List.of(new ZkynetProcessor()));
    boolean ok = task.call();
    return new Recorded(ok, List.copyOf(generated), List.copyOf(diagnostics.getDiagnostics()));
  }

  /** An output file kept in memory; generated sources are read back by later rounds. */
  private static final class InMemoryOutput extends SimpleJavaFileObject {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    InMemoryOutput(String className, Kind kind) {
      super(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind);
    }

    @Override
    public OutputStream openOutputStream() {
      bytes.reset();
      return bytes;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
