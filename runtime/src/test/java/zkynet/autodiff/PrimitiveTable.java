package zkynet.autodiff;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import zkynet.NoGrad;
import zkynet.Tensor;

/**
 * Test-side view of the primitive table: the {@link Primitive} methods of {@link Tensor} (by
 * reflection, with parameter names read from Tensor.java, since the runtime is compiled without
 * {@code -parameters}), the {@link Vjp} rules of {@link Rules}, and a {@link Differentiable} for any
 * primitive call built from those rules, the way generated code composes them.
 */
final class PrimitiveTable {
  private PrimitiveTable() {}

  /** One primitive: its method, parameter names and differentiable inputs ("self" first). */
  record Prim(Method method, List<String> paramNames, List<String> inputs) {
    String name() {
      return method.getName();
    }

    /** e.g. {@code add(Tensor)}: what tests and messages call it. */
    String signature() {
      return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
          .collect(Collectors.joining(", ", "(", ")"));
    }

    /** Parameter position of differentiable input {@code wrt} (-1 for self). */
    int position(String wrt) {
      return wrt.equals("self") ? -1 : paramNames.indexOf(wrt);
    }

    Method rule(String wrt) {
      Method r = rules().get(key(method, wrt));
      if (r == null) {
        throw new AssertionError("no @Vjp rule for " + signature() + " wrt " + wrt);
      }
      return r;
    }
  }

  private static List<Prim> primitives;
  private static Map<String, Method> rules;

  /** The @Primitive methods of Tensor, sorted by signature (deterministic). */
  static synchronized List<Prim> primitives() {
    if (primitives == null) {
      Map<String, List<String>> names = parameterNamesFromSource();
      List<Prim> out = new ArrayList<>();
      for (Method m : Tensor.class.getDeclaredMethods()) {
        if (!m.isAnnotationPresent(Primitive.class)) {
          continue;
        }
        String sig = m.getName() + Arrays.toString(simpleTypes(m.getParameterTypes()));
        List<String> params = names.get(sig);
        if (params == null) {
          throw new AssertionError("Tensor." + sig + " not found in Tensor.java (parsed " + names.keySet() + ")");
        }
        List<String> inputs = new ArrayList<>();
        inputs.add("self");
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
          boolean noGrad = Arrays.stream(m.getParameterAnnotations()[i]).anyMatch(a -> a instanceof NoGrad);
          if (types[i] == Tensor.class && !noGrad) {
            inputs.add(params.get(i));
          }
        }
        out.add(new Prim(m, List.copyOf(params), List.copyOf(inputs)));
      }
      out.sort(Comparator.comparing(Prim::signature));
      primitives = List.copyOf(out);
    }
    return primitives;
  }

  static Prim primitive(String signature) {
    return primitives().stream().filter(p -> p.signature().equals(signature)).findFirst()
        .orElseThrow(() -> new AssertionError("no primitive " + signature));
  }

  /** Rules keyed by {@link #key}: op, parameter types after (g, y, self), wrt. */
  static synchronized Map<String, Method> rules() {
    if (rules == null) {
      Map<String, Method> out = new LinkedHashMap<>();
      for (Method r : Rules.class.getDeclaredMethods()) {
        Vjp vjp = r.getAnnotation(Vjp.class);
        if (vjp == null || r.getParameterCount() < 3) {
          continue;
        }
        Class<?>[] own = Arrays.copyOfRange(r.getParameterTypes(), 3, r.getParameterCount());
        out.put(vjp.op() + Arrays.toString(simpleTypes(own)) + "/" + vjp.wrt(), r);
      }
      rules = out;
    }
    return rules;
  }

  static String key(Method primitive, String wrt) {
    return primitive.getName() + Arrays.toString(simpleTypes(primitive.getParameterTypes())) + "/" + wrt;
  }

  static String[] simpleTypes(Class<?>[] types) {
    return Arrays.stream(types).map(Class::getSimpleName).toArray(String[]::new);
  }

  /** Parameter names of Tensor's methods, keyed like {@code add[Tensor]}, from its source. */
  static Map<String, List<String>> parameterNamesFromSource() {
    Path source = null;
    for (String candidate : List.of("src/main/java/zkynet/Tensor.java", "runtime/src/main/java/zkynet/Tensor.java")) {
      if (Files.isRegularFile(Path.of(candidate))) {
        source = Path.of(candidate);
        break;
      }
    }
    if (source == null) {
      throw new AssertionError("cannot find Tensor.java from " + Path.of("").toAbsolutePath()
          + "; run the tests from the runtime module (as Maven does)");
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new AssertionError("tests need a JDK (no system Java compiler found) to read parameter names");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      JavacTask task = (JavacTask) javac.getTask(null, fm, null, List.of("-proc:none"), null,
          fm.getJavaFileObjects(source));
      for (CompilationUnitTree unit : task.parse()) {
        for (Tree type : unit.getTypeDecls()) {
          if (!(type instanceof ClassTree cls) || !cls.getSimpleName().contentEquals("Tensor")) {
            continue;
          }
          for (Tree member : cls.getMembers()) {
            if (member instanceof MethodTree m) {
              List<String> names = new ArrayList<>();
              List<String> types = new ArrayList<>();
              for (VariableTree p : m.getParameters()) {
                names.add(p.getName().toString());
                String t = p.getType().toString().replace("...", "[]");
                types.add(t.substring(t.lastIndexOf('.') + 1));
              }
              out.put(m.getName() + types.toString(), names);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  // ------------------------------------------------------------------ calling primitives through rules

  /**
   * A primitive call as a function of its differentiable inputs: {@code call} holds the receiver at
   * index 0 and the primitive's arguments after it; the differentiable slots are replaced by the
   * function's inputs (in {@link Prim#inputs()} order).
   */
  static Function<Tensor[], Differentiable> function(Prim p, Object[] call) {
    return in -> {
      Object[] c = call.clone();
      for (int k = 0; k < p.inputs().size(); k++) {
        c[p.position(p.inputs().get(k)) + 1] = in[k];
      }
      return new Op(p, c);
    };
  }

  /** The differentiable inputs of a call, in {@link Prim#inputs()} order. */
  static Tensor[] inputs(Prim p, Object[] call) {
    return p.inputs().stream().map(w -> (Tensor) call[p.position(w) + 1]).toArray(Tensor[]::new);
  }

  /** What the processor generates for one primitive: forward, then each input's rule + accumulate. */
  static final class Op implements Differentiable {
    private final Prim p;
    private final Object[] call;
    private final Tensor y;

    Op(Prim p, Object[] call) {
      this.p = p;
      this.call = call;
      this.y = (Tensor) invoke(p.method(), call[0], Arrays.copyOfRange(call, 1, call.length));
    }

    @Override
    public Tensor output() {
      return y;
    }

    int inputCount() {
      return p.inputs().size();
    }

    @Override
    public Tensor[] backward(Tensor gOut, boolean[] needed) {
      int batch = gOut.rank() - y.rank();
      Tensor[] grads = new Tensor[p.inputs().size()];
      for (int k = 0; k < grads.length; k++) {
        if (!needed[k]) {
          continue;
        }
        String wrt = p.inputs().get(k);
        Object[] args = new Object[call.length + 2];
        args[0] = gOut;
        args[1] = y;
        System.arraycopy(call, 0, args, 2, call.length);
        Tensor contribution = (Tensor) invoke(p.rule(wrt), null, args);
        Tensor input = (Tensor) call[p.position(wrt) + 1];
        grads[k] = Grad.accumulate(null, contribution, input, batch);
      }
      return grads;
    }
  }

  static Object invoke(Method m, Object target, Object[] args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new RuntimeException(cause);
    } catch (IllegalAccessException e) {
      throw new AssertionError(m + " is not accessible", e);
    }
  }

  static boolean isPublicStatic(Method m) {
    return Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers());
  }
}
