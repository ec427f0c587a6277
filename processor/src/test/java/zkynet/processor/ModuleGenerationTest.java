package zkynet.processor;

import static zkynet.processor.Testing.assertContains;
import static zkynet.processor.Testing.assertInOrder;
import static zkynet.processor.Testing.assertNotContains;
import static zkynet.processor.Testing.compile;
import static zkynet.processor.Testing.generated;
import static zkynet.processor.Testing.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;
import zkynet.processor.Testing.Source;

/**
 * What the processor generates for {@code @Module} classes, asserted on the generated text. Every
 * compilation must succeed: the user's module extends the generated base and calls its entry
 * points, so this also checks that the base compiles against the runtime stubs.
 */
class ModuleGenerationTest {
  private static final Source ACTIVATIONS = source("zkynet.examples.Activations", """
      package zkynet.examples;

      import zkynet.Operator;
      import zkynet.Tensor;

      public final class Activations {
        @Operator
        public static Tensor softplus(Tensor x) {
          return x.exp().add(1.0).log();
        }
      }
      """);

  private static final Source LAYER = source("zkynet.examples.Layer", """
      package zkynet.examples;

      import zkynet.Module;
      import zkynet.Node;
      import zkynet.Parameter;

      @Module
      public class Layer extends Zk_Layer {
        final Parameter weight;

        public Layer(double w) {
          weight = parameter(w);
        }

        Node call(Node x) {
          return ActivationsOps.softplus(x);
        }
      }
      """);

  private static final Source MLP = source("zkynet.examples.Mlp", """
      package zkynet.examples;

      import java.util.ArrayList;
      import java.util.List;
      import zkynet.Module;
      import zkynet.Node;
      import zkynet.Parameter;

      @Module
      public class Mlp extends Zk_Mlp {
        static final int DEFAULT_WIDTH = 4;

        final Parameter w;
        final Layer first;
        final Parameter b;
        final List<Layer> hidden;
        final int width;
        Node notAModulePart;

        public Mlp(int depth) {
          w = parameter(1.0);
          first = new Layer(0.5);
          b = parameter(0.0);
          List<Layer> layers = new ArrayList<>();
          for (int i = 0; i < depth; i++) {
            layers.add(new Layer(i));
          }
          hidden = List.copyOf(layers);
          width = DEFAULT_WIDTH;
        }

        Node call(Node x, Node y) {
          Node h = first.apply(x);
          for (Layer layer : hidden) {
            h = layer.apply(h);
          }
          return h;
        }

        static double eval(Mlp m) {
          return m.apply(1.0, 2.0).value().item();
        }
      }
      """);

  @Test
  void moduleBaseDeclaresInputsParametersSubmodulesAndEntryPoints() {
    Compilation c = compile(ACTIVATIONS, LAYER, MLP);
    String base = generated(c, "zkynet.examples.Zk_Mlp");
    assertContains(base,
        "@Generated(\"zkynet.processor.ZkynetProcessor\")",
        "public abstract class Zk_Mlp extends ModuleBase {",
        // Inputs, named after the forward method's parameters, in order.
        "private static final List<String> INPUTS = List.of(\"x\", \"y\");",
        "protected Zk_Mlp() {\n    super(\"Mlp\");\n  }",
        "protected final List<String> inputNames() {\n    return INPUTS;\n  }",
        "protected final Node forward(Node[] inputs) {\n"
            + "    return ((Mlp) this).call(inputs[0], inputs[1]);\n  }");
    // Parameters in field order (w before b, even with a sub-module between them).
    assertInOrder(base,
        "protected final void visitParameters(BiConsumer<String, Parameter> visitor) {",
        "Mlp self = (Mlp) this;",
        "visitor.accept(\"w\", self.w);",
        "visitor.accept(\"b\", self.b);",
        "}");
    // Sub-modules in field order, a final List<Layer> element by element.
    assertInOrder(base,
        "protected final void visitSubmodules(BiConsumer<String, ModuleBase> visitor) {",
        "Mlp self = (Mlp) this;",
        "visitor.accept(\"first\", self.first);",
        "for (int i = 0; i < self.hidden.size(); i++) {",
        "visitor.accept(\"hidden.\" + i, self.hidden.get(i));");
    // Two entry points: raw values at top level, nodes inside another module's forward pass.
    assertInOrder(base,
        "public final ModuleGraph apply(Object x, Object y) {",
        "return applyValues(x, y);",
        "public final Node apply(Node x, Node y) {",
        "return applyNodes(x, y);");
    // Fields that are neither parameters nor sub-modules are not part of the structure.
    assertNotContains(base, "width", "DEFAULT_WIDTH", "notAModulePart");
  }

  @Test
  void moduleWithOneInputAndOneParameter() {
    String base = generated(compile(ACTIVATIONS, LAYER), "zkynet.examples.Zk_Layer");
    assertContains(base,
        "private static final List<String> INPUTS = List.of(\"x\");",
        "visitor.accept(\"weight\", self.weight);",
        "return ((Layer) this).call(inputs[0]);",
        "public final ModuleGraph apply(Object x) {",
        "public final Node apply(Node x) {");
    // No sub-modules: the visitor body is empty.
    assertContains(base,
        "protected final void visitSubmodules(BiConsumer<String, ModuleBase> visitor) {\n  }");
  }

  @Test
  void moduleWithoutInputsHasOnlyTheTopLevelEntryPoint() {
    Source constant = source("zkynet.examples.Bias", """
        package zkynet.examples;

        import zkynet.Module;
        import zkynet.Node;
        import zkynet.Parameter;
        import zkynet.CallSession;

        @Module
        public class Bias extends Zk_Bias {
          final Parameter b = parameter(1.0);

          Node call() {
            return CallSession.node(b);
          }
        }
        """);
    String base = generated(compile(constant), "zkynet.examples.Zk_Bias");
    assertContains(base,
        "private static final List<String> INPUTS = List.of();",
        "return ((Bias) this).call();",
        "public final ModuleGraph apply() {\n    return applyValues();\n  }");
    assertNotContains(base, "public final Node apply(");
  }

  @Test
  void nestedModuleGetsAFlattenedBaseName() {
    Source models = source("zkynet.examples.Models", """
        package zkynet.examples;

        import zkynet.Module;
        import zkynet.Node;

        public final class Models {
          @Module
          public static class Identity extends Zk_Models_Identity {
            Node call(Node x) {
              return x;
            }
          }
        }
        """);
    String base = generated(compile(models), "zkynet.examples.Zk_Models_Identity");
    assertContains(base,
        "public abstract class Zk_Models_Identity extends ModuleBase {",
        "super(\"Identity\");",
        "return ((Models.Identity) this).call(inputs[0]);");
  }

  @Test
  void inputsMarkedNoGradAreListedForTheRuntime() {
    Source loss = source("zkynet.examples.Loss", """
        package zkynet.examples;

        import zkynet.Module;
        import zkynet.NoGrad;
        import zkynet.Node;

        @Module
        public class Loss extends Zk_Loss {
          final Layer model = new Layer(1.0);

          Node call(@NoGrad Node batch, Node y, @NoGrad Node labels) {
            return model.apply(batch);
          }
        }
        """);
    String base = generated(compile(ACTIVATIONS, LAYER, loss), "zkynet.examples.Zk_Loss");
    assertInOrder(base,
        "protected final List<String> inputNames() {",
        "protected final Set<String> noGradInputs() {",
        "return Set.of(\"batch\", \"labels\");");
    // unmarked modules keep the runtime's default (every input needs a gradient)
    assertNotContains(generated(compile(ACTIVATIONS, LAYER), "zkynet.examples.Zk_Layer"),
        "noGradInputs");
  }
}
