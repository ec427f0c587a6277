package zkynet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static zkynet.processor.OperatorDiagnosticsTest.activations;
import static zkynet.processor.Testing.compileWith;
import static zkynet.processor.Testing.describe;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.sun.source.util.Trees;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import zkynet.processor.Testing.Source;
import zkynet.processor.diagnostics.Diagnostic;

/**
 * ZK902: under a compiler without javac's tree API (Eclipse's ecj, whose processing environment
 * makes {@code Trees.instance} throw), the processor reports one clear error instead of crashing.
 * Simulated under javac by handing the processor a processing environment that is not javac's
 * own class (a proxy forwarding to it), exactly what {@code Trees.instance} rejects.
 */
class CompilerSupportTest {
  @Test
  @Covers(Diagnostic.NO_TREE_API)
  void compilerWithoutTheTreeApiGetsOneClearError() {
    Source src = activations("""
        @Operator
        public static Tensor softplus(Tensor x) {
          return x.exp().add(1.0).log();
        }
        """);
    List<JavaFileObject> files = new ArrayList<>(Stubs.all());
    files.add(src.file());
    WithoutTreeApi processor = new WithoutTreeApi(new ZkynetProcessor());
    Compilation c = Compiler.javac().withProcessors(processor).compile(files);
    List<String> errors = c.errors().stream().map(Testing::message).toList();
    assertEquals(1, errors.size(), () -> describe(c.errors()));
    assertEquals("[ZK902] zkynet's annotation processor needs javac's tree API "
        + "(com.sun.source.util.Trees) to read @Operator bodies, and this compiler ("
        + processor.environmentClass + ") does not provide it: compile with javac (Maven, Gradle and IntelliJ IDEA's default builds "
        + "use it; in Eclipse, delegate the build to Maven or Gradle)", errors.get(0));
    // Reported once, not once per round; and with the real environment the same source compiles.
    assertEquals(0, compileWith(Stubs.all(), src).errors().size());
  }

  @Test
  void theSimulationIsWhatTreesRejects() {
    ProcessingEnvironment[] seen = {null};
    Compiler.javac().withProcessors(new WithoutTreeApi(new AbstractProcessor() {
      @Override
      public synchronized void init(ProcessingEnvironment env) {
        seen[0] = env;
      }

      @Override
      public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*");
      }

      @Override
      public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return false;
      }
    })).compile(Stubs.all());
    assertThrows(IllegalArgumentException.class, () -> Trees.instance(seen[0]));
  }

  /** Runs {@code delegate} with a processing environment that is a proxy of javac's. */
  static final class WithoutTreeApi extends AbstractProcessor {
    private final javax.annotation.processing.Processor delegate;
    String environmentClass;

    WithoutTreeApi(javax.annotation.processing.Processor delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      InvocationHandler forward = (proxy, method, args) -> method.invoke(env, args);
      ProcessingEnvironment proxy = (ProcessingEnvironment) Proxy.newProxyInstance(
          getClass().getClassLoader(), new Class<?>[] {ProcessingEnvironment.class}, forward);
      environmentClass = proxy.getClass().getName();
      delegate.init(proxy);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return delegate.process(annotations, round);
    }
  }
}
