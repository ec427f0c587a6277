package zkynet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import zkynet.processor.model.ModuleModel;
import zkynet.processor.model.ModuleModel.Submodule;
import zkynet.processor.model.Names;

/**
 * Writes {@code Zk_Foo} for a {@code @Module} class {@code Foo}: the superclass that tells the
 * runtime, without reflection, the module's inputs, parameters, sub-modules and forward method,
 * and gives it typed entry points.
 */
public final class ModuleWriter {
  private static final ClassName MODULE_BASE = ClassName.get("zkynet", "ModuleBase");
  private static final ClassName MODULE_GRAPH = ClassName.get("zkynet", "ModuleGraph");
  private static final ClassName PARAMETER = ClassName.get("zkynet", "Parameter");
  private static final ClassName NODE = OperatorWriter.NODE;
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName STRING = ClassName.get(String.class);

  private final Elements elements;

  public ModuleWriter(Elements elements) {
    this.elements = elements;
  }

  public JavaFile write(ModuleModel module) {
    ClassName user = ClassName.get(module.type());
    TypeSpec.Builder c = header(module.type());
    String inputs = String.join(", ", module.inputs().stream().map(i -> "\"" + i + "\"").toList());
    c.addField(FieldSpec.builder(ParameterizedTypeName.get(LIST, STRING), "INPUTS",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$T.of($L)", LIST, inputs).build());

    c.addMethod(override("inputNames", ParameterizedTypeName.get(LIST, STRING))
        .addStatement("return INPUTS").build());
    if (!module.noGradInputs().isEmpty()) {
      c.addMethod(override("noGradInputs", ParameterizedTypeName.get(ClassName.get(Set.class), STRING))
          .addJavadoc("The inputs marked {@code @NoGrad}: their gradients are never computed.\n")
          .addStatement("return $T.of($L)", Set.class, String.join(", ",
              module.noGradInputs().stream().map(i -> "\"" + i + "\"").toList())).build());
    }

    MethodSpec.Builder params = override("visitParameters", TypeName.VOID)
        .addParameter(ParameterizedTypeName.get(ClassName.get(BiConsumer.class), STRING, PARAMETER),
            "visitor");
    if (!module.parameters().isEmpty()) {
      params.addStatement("$T self = ($T) this", user, user);
    }
    for (String p : module.parameters()) {
      params.addStatement("visitor.accept($S, self.$L)", p, p);
    }
    c.addMethod(params.build());

    MethodSpec.Builder subs = override("visitSubmodules", TypeName.VOID)
        .addParameter(ParameterizedTypeName.get(ClassName.get(BiConsumer.class), STRING,
            MODULE_BASE), "visitor");
    if (!module.submodules().isEmpty()) {
      subs.addStatement("$T self = ($T) this", user, user);
    }
    for (Submodule s : module.submodules()) {
      if (s.list()) {
        subs.beginControlFlow("for (int i = 0; i < self.$L.size(); i++)", s.field())
            .addStatement("visitor.accept($S + i, self.$L.get(i))", s.field() + ".", s.field())
            .endControlFlow();
      } else {
        subs.addStatement("visitor.accept($S, self.$L)", s.field(), s.field());
      }
    }
    c.addMethod(subs.build());

    List<String> args = new ArrayList<>();
    for (int i = 0; i < module.inputs().size(); i++) {
      args.add("inputs[" + i + "]");
    }
    c.addMethod(override("forward", NODE)
        .addParameter(com.palantir.javapoet.ArrayTypeName.of(NODE), "inputs")
        .addStatement("return (($T) this).$L($L)", user, module.forward(), String.join(", ", args))
        .build());

    entryPoints(module.inputs(), c);
    return file(module.type(), c);
  }

  /**
   * The {@code Zk_Foo} of a module with errors: it lets {@code Foo extends Zk_Foo} (and calls of its
   * entry points) resolve, so that javac reports the module's one real error and nothing after it.
   * It never runs: the compilation fails.
   */
  public JavaFile placeholder(TypeElement type, List<String> inputs) {
    TypeSpec.Builder c = header(type);
    String message = type.getSimpleName() + " has compile errors: see zkynet's error on it";
    c.addMethod(override("inputNames", ParameterizedTypeName.get(LIST, STRING))
        .addStatement("throw new $T($S)", IllegalStateException.class, message).build());
    c.addMethod(override("visitParameters", TypeName.VOID)
        .addParameter(ParameterizedTypeName.get(ClassName.get(BiConsumer.class), STRING, PARAMETER),
            "visitor")
        .addStatement("throw new $T($S)", IllegalStateException.class, message).build());
    c.addMethod(override("visitSubmodules", TypeName.VOID)
        .addParameter(ParameterizedTypeName.get(ClassName.get(BiConsumer.class), STRING,
            MODULE_BASE), "visitor")
        .addStatement("throw new $T($S)", IllegalStateException.class, message).build());
    c.addMethod(override("forward", NODE)
        .addParameter(com.palantir.javapoet.ArrayTypeName.of(NODE), "inputs")
        .addStatement("throw new $T($S)", IllegalStateException.class, message).build());
    entryPoints(inputs, c);
    return file(type, c);
  }

  private TypeSpec.Builder header(TypeElement type) {
    return TypeSpec.classBuilder(Names.moduleBaseSimpleName(type))
        .addOriginatingElement(type)
        .addAnnotation(OperatorWriter.generated())
        .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
        .superclass(MODULE_BASE)
        .addJavadoc("Generated by zkynet from {@link $T}: its inputs, parameters, sub-modules and "
            + "entry points. Do not edit.\n", ClassName.get(type))
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PROTECTED)
            .addStatement("super($S)", type.getSimpleName().toString()).build());
  }

  /** The typed {@code apply} methods: on raw values at top level, on nodes inside a forward pass. */
  private static void entryPoints(List<String> inputs, TypeSpec.Builder c) {
    MethodSpec.Builder top = MethodSpec.methodBuilder("apply")
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL).returns(MODULE_GRAPH)
        .addJavadoc("Calls the module at top level on raw values (numbers, arrays, Tensors, "
            + "INDArrays) and returns the call's graph.\n");
    MethodSpec.Builder nested = MethodSpec.methodBuilder("apply")
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL).returns(NODE)
        .addJavadoc("Calls the module inside another module's forward pass: joins the graph of the "
            + "call in progress.\n");
    for (String in : inputs) {
      top.addParameter(Object.class, in);
      nested.addParameter(NODE, in);
    }
    String names = String.join(", ", inputs);
    top.addStatement("return applyValues($L)", names);
    nested.addStatement("return applyNodes($L)", names);
    c.addMethod(top.build());
    if (!inputs.isEmpty()) {
      c.addMethod(nested.build());
    }
  }

  private JavaFile file(TypeElement type, TypeSpec.Builder c) {
    String pkg = elements.getPackageOf(type).getQualifiedName().toString();
    return JavaFile.builder(pkg, c.build()).skipJavaLangImports(true).indent("  ").build();
  }

  private static MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED, Modifier.FINAL).returns(returns);
  }
}
