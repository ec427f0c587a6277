package zkynet.processor;

import static zkynet.processor.Testing.assertErrors;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.error;
import static zkynet.processor.Testing.source;

import org.junit.jupiter.api.Test;
import zkynet.processor.Testing.Source;
import zkynet.processor.diagnostics.Diagnostic;

/** One negative test per {@code @Module} diagnostic (ZK4xx): exact message, file and line. */
class ModuleDiagnosticsTest {
  /** {@code zkynet.examples.Affine} with the usual imports, the given header and members. */
  static Source affine(String header, String members) {
    return source("zkynet.examples.Affine", """
        package zkynet.examples;

        import java.util.List;
        import zkynet.Module;
        import zkynet.Node;
        import zkynet.Parameter;
        import zkynet.Tensor;

        @Module
        """ + header + " {\n" + members.indent(2) + "}\n");
  }

  static Source affine(String members) {
    return affine("public class Affine extends Zk_Affine", members);
  }

  private static final String FORWARD = """
      Node call(Node x) {
        return x;
      }
      """;

  @Test
  @Covers(Diagnostic.MODULE_SUPERCLASS)
  void moduleMustExtendItsGeneratedBase() {
    Source src = affine("public class Affine", FORWARD);
    assertErrors(compile(src),
        error("[ZK401] @Module class Affine must extend the generated Zk_Affine (which extends "
            + "zkynet.ModuleBase)", src, "public class Affine"));
  }

  @Test
  @Covers(Diagnostic.MODULE_SUPERCLASS)
  void moduleExtendingAnotherModulesBase() {
    Source src = affine("public class Affine extends Zk_Linear", FORWARD);
    Source linear = source("zkynet.examples.Linear", """
        package zkynet.examples;

        import zkynet.Module;
        import zkynet.Node;

        @Module
        public class Linear extends Zk_Linear {
          Node call(Node x) {
            return x;
          }
        }
        """);
    assertErrors(compile(src, linear),
        error("[ZK401] @Module class Affine must extend the generated Zk_Affine (which extends "
            + "zkynet.ModuleBase)", src, "public class Affine"));
  }

  @Test
  @Covers(Diagnostic.MODULE_NO_FORWARD)
  void moduleWithoutForwardMethod() {
    Source src = affine("""
        final Parameter w = parameter(1.0);

        Node forward(Node x) {
          return x;
        }
        """);
    assertErrors(compile(src),
        error("[ZK402] @Module class Affine has no forward method: declare Node call(Node ...) with "
            + "one Node per input", src, "public class Affine"));
  }

  @Test
  @Covers(Diagnostic.MODULE_FORWARD_SIGNATURE)
  void forwardParameterOfTheWrongType() {
    Source src = affine("""
        Node call(Node x,
            Tensor scale) {
          return x;
        }
        """);
    assertErrors(compile(src),
        error("[ZK403] the forward method call must take only Node parameters, one per input; "
            + "parameter scale is zkynet.Tensor", src, "Tensor scale"));
  }

  @Test
  @Covers(Diagnostic.MODULE_FORWARD_SIGNATURE)
  void forwardReturningSomethingElse() {
    Source src = affine("""
        Tensor call(Node x) {
          return x.value();
        }
        """);
    assertErrors(compile(src),
        error("[ZK403] the forward method call must return zkynet.Node, not zkynet.Tensor",
            src, "Tensor call("));
  }

  @Test
  @Covers(Diagnostic.MODULE_FORWARD_SIGNATURE)
  void forwardMustNotBeStaticOrPrivate() {
    Source src = affine("""
        private static Node call(Node x) {
          return x;
        }
        """);
    assertErrors(compile(src),
        error("[ZK403] the forward method call must not be static", src, "Node call("),
        error("[ZK403] the forward method call must not be private: the generated Zk_Affine "
            + "calls it", src, "Node call("));
  }

  @Test
  @Covers(Diagnostic.MODULE_FORWARD_SIGNATURE)
  void forwardMustNotBeVarargs() {
    Source src = affine("""
        Node call(Node... xs) {
          return xs[0];
        }
        """);
    assertErrors(compile(src),
        error("[ZK403] the forward method call must have no type parameters and no varargs",
            src, "Node call("),
        error("[ZK403] the forward method call must take only Node parameters, one per input; "
            + "parameter xs is zkynet.Node[]", src, "Node... xs"));
  }

  @Test
  @Covers(Diagnostic.MODULE_FORWARD_SIGNATURE)
  void forwardMustNotBeOverloaded() {
    Source src = affine("""
        Node call(Node x) {
          return x;
        }

        Node call(Node x, Node y) {
          return y;
        }
        """);
    assertErrors(compile(src),
        error("[ZK403] the forward method call must be declared once: overloads are not supported",
            src, "Node call(Node x, Node y)"));
  }

  @Test
  @Covers(Diagnostic.MODULE_FIELD_NOT_FINAL)
  void parameterFieldNotFinal() {
    Source src = affine("""
        Parameter w;

        public Affine() {
          w = parameter(1.0);
        }

        """ + FORWARD);
    assertErrors(compile(src),
        error("[ZK404] Parameter field w must be final: the module's structure is fixed at "
            + "construction", src, "Parameter w;"));
  }

  @Test
  @Covers(Diagnostic.MODULE_FIELD_NOT_FINAL)
  void subModuleFieldsNotFinal() {
    Source src = affine("""
        Affine inner;
        List<Affine> layers;

        """ + FORWARD);
    assertErrors(compile(src),
        error("[ZK404] Sub-module field inner must be final: the module's structure is fixed at "
            + "construction", src, "Affine inner;"),
        error("[ZK404] Sub-module list field layers must be final: the module's structure is fixed "
            + "at construction", src, "List<Affine> layers;"));
  }

  @Test
  @Covers(Diagnostic.MODULE_FIELD_PRIVATE)
  void parameterFieldPrivate() {
    Source src = affine("""
        private final Parameter w = parameter(1.0);

        """ + FORWARD);
    assertErrors(compile(src),
        error("[ZK405] Parameter field w must not be private: the generated Zk_Affine reads it",
            src, "private final Parameter w"));
  }

  @Test
  @Covers(Diagnostic.MODULE_FORWARD_WRITES_FIELD)
  void forwardThatWritesFields() {
    Source src = affine("""
        Node last;
        int calls;

        Node call(Node x) {
          Node y = x;
          last = y;
          this.calls++;
          return y;
        }
        """);
    assertErrors(compile(src),
        error("[ZK406] the forward method of Affine writes field last: a forward pass must not "
            + "change the module; keep values in locals", src, "last = y;"),
        error("[ZK406] the forward method of Affine writes field this.calls: a forward pass must "
            + "not change the module; keep values in locals", src, "this.calls++;"));
  }

  @Test
  @Covers(Diagnostic.MODULE_KIND)
  void abstractModule() {
    Source src = affine("public abstract class Affine extends Zk_Affine", FORWARD);
    assertErrors(compile(src),
        error("[ZK407] @Module Affine must be a non-abstract, non-generic class that is top-level "
            + "or static nested, and not private", src, "public abstract class Affine"));
  }

  @Test
  @Covers(Diagnostic.MODULE_KIND)
  void genericModule() {
    Source src = affine("public class Affine<T> extends Zk_Affine", FORWARD);
    assertErrors(compile(src),
        error("[ZK407] @Module Affine must be a non-abstract, non-generic class that is top-level "
            + "or static nested, and not private", src, "public class Affine<T>"));
  }
}
