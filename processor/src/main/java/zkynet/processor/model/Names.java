package zkynet.processor.model;

import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** Names of the runtime's types, and of what the processor generates. */
public final class Names {
  public static final String TENSOR = "zkynet.Tensor";
  public static final String NODE = "zkynet.Node";
  public static final String OPERATOR = "zkynet.Operator";
  public static final String DERIVATIVE = "zkynet.Derivative";
  public static final String MODULE = "zkynet.Module";
  public static final String NO_GRAD = "zkynet.NoGrad";
  public static final String PARAMETER = "zkynet.Parameter";
  public static final String MODULE_BASE = "zkynet.ModuleBase";
  public static final String PRIMITIVE = "zkynet.autodiff.Primitive";
  public static final String CONSTANT = "zkynet.autodiff.Constant";
  public static final String VJP = "zkynet.autodiff.Vjp";
  public static final String RULES = "zkynet.autodiff.Rules";

  /** Tensor methods that read metadata only: allowed on differentiable values. */
  static final Set<String> METADATA = Set.of("shape", "rank", "size", "dtype");

  private Names() {}

  /** {@code Activations} gives {@code ActivationsOps}; nested {@code A.B} gives {@code A_BOps}. */
  public static String facadeSimpleName(TypeElement owner) {
    return flatName(owner) + "Ops";
  }

  /** {@code SimpleModel} gives {@code Zk_SimpleModel}; nested {@code A.B} gives {@code Zk_A_B}. */
  public static String moduleBaseSimpleName(TypeElement module) {
    return "Zk_" + flatName(module);
  }

  public static String facadeQualifiedName(Elements elements, TypeElement owner) {
    String pkg = elements.getPackageOf(owner).getQualifiedName().toString();
    return pkg.isEmpty() ? facadeSimpleName(owner) : pkg + "." + facadeSimpleName(owner);
  }

  /** The nested class holding an operator's forward and derivative: {@code softplus} gives {@code Softplus}. */
  public static String operatorClass(String operator) {
    return Character.toUpperCase(operator.charAt(0)) + operator.substring(1);
  }

  private static String flatName(TypeElement type) {
    StringBuilder name = new StringBuilder(type.getSimpleName());
    Element e = type.getEnclosingElement();
    while (e.getKind().isClass() || e.getKind().isInterface() || e.getKind() == ElementKind.ENUM) {
      name.insert(0, e.getSimpleName() + "_");
      e = e.getEnclosingElement();
    }
    return name.toString();
  }
}
