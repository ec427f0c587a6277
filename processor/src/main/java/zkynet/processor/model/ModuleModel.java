package zkynet.processor.model;

import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * A {@code @Module} class as read from source.
 *
 * @param type the module class
 * @param forward the forward method's name ({@code call})
 * @param inputs the forward method's parameter names, in order
 * @param noGradInputs the inputs whose parameter is marked {@code @NoGrad}, in order
 * @param parameters the {@code Parameter} fields, in declaration order
 * @param submodules the sub-module fields, in declaration order
 */
public record ModuleModel(TypeElement type, String forward, List<String> inputs,
    List<String> noGradInputs, List<String> parameters, List<Submodule> submodules) {

  /** A sub-module field; {@code list} when it is a {@code List} of modules. */
  public record Submodule(String field, boolean list) {}
}
