package zkynet;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Test stub of zkynet.ModuleBase: the hooks a generated Zk_Foo implements and the helpers it and
 * user modules call (signatures copied from runtime/src/main/java/zkynet/ModuleBase.java).
 */
public abstract class ModuleBase {
  protected ModuleBase(String functionalName) {}

  /** The forward method's parameter names, in order. */
  protected abstract List<String> inputNames();

  /** The forward method's parameters marked {@code @NoGrad}. */
  protected java.util.Set<String> noGradInputs() {
    return java.util.Set.of();
  }

  /** Visits the Parameter fields, in declaration order. */
  protected abstract void visitParameters(BiConsumer<String, Parameter> visitor);

  /** Visits the sub-module fields in declaration order; list elements as {@code name.i}. */
  protected abstract void visitSubmodules(BiConsumer<String, ModuleBase> visitor);

  /** Calls the forward method. */
  protected abstract Node forward(Node[] inputs);

  protected final Parameter parameter(Object initialValue) {
    return null;
  }

  public final String functionalName() {
    return null;
  }

  public final String name() {
    return null;
  }

  public final List<Parameter> parameters() {
    return null;
  }

  public final ModuleGraph applyValues(Object... values) {
    return null;
  }

  public final Node applyNodes(Node... args) {
    return null;
  }
}
