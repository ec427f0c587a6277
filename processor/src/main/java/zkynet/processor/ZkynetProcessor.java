package zkynet.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import zkynet.processor.codegen.ModuleWriter;
import zkynet.processor.codegen.OperatorWriter;
import zkynet.processor.diagnostics.Diagnostic;
import zkynet.processor.diagnostics.Report;
import zkynet.processor.model.Env;
import zkynet.processor.model.ModuleModel;
import zkynet.processor.model.Namer;
import zkynet.processor.model.Names;
import zkynet.processor.model.OperatorModel;
import zkynet.processor.model.OperatorModel.Body;
import zkynet.processor.model.OperatorReader;
import zkynet.processor.validation.ModuleChecks;
import zkynet.processor.validation.OperatorChecks;

/**
 * zkynet's annotation processor. One pipeline per annotated element: read the source into a model,
 * validate into a report, print it, stop if it has errors, otherwise generate. For each class with
 * {@code @Operator} methods it writes {@code FooOps}; for each {@code @Module} class, {@code Zk_Foo}.
 * It never claims the annotations.
 */
@AutoService(Processor.class)
public final class ZkynetProcessor extends AbstractProcessor {
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Names.OPERATOR, Names.MODULE, Names.DERIVATIVE);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Env env = new Env(processingEnv);
    TypeElement operator = env.elements().getTypeElement(Names.OPERATOR);
    TypeElement module = env.elements().getTypeElement(Names.MODULE);
    if (operator != null) {
      TypeElement derivative = env.elements().getTypeElement(Names.DERIVATIVE);
      for (Map.Entry<TypeElement, List<ExecutableElement>> e
          : operatorsByClass(round, operator, derivative).entrySet()) {
        guarded(env, e.getKey(), () -> operators(env, e.getKey(), e.getValue()));
      }
    }
    if (module != null) {
      for (Element e : round.getElementsAnnotatedWith(module)) {
        if (e instanceof TypeElement type) {
          guarded(env, type, () -> module(env, type));
        }
      }
    }
    return false;
  }

  /**
   * Operators grouped by declaring class, both in source order. A class with {@code @Derivative}
   * methods but no operator is included (with no operators) so that its derivatives are checked.
   */
  private static Map<TypeElement, List<ExecutableElement>> operatorsByClass(RoundEnvironment round,
      TypeElement operator, TypeElement derivative) {
    Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
    for (Element e : round.getElementsAnnotatedWith(operator)) {
      if (e.getKind() == ElementKind.METHOD) {
        byClass.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>())
            .add((ExecutableElement) e);
      }
    }
    if (derivative != null) {
      for (Element e : round.getElementsAnnotatedWith(derivative)) {
        if (e.getKind() == ElementKind.METHOD) {
          byClass.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>());
        }
      }
    }
    return byClass;
  }

  private void operators(Env env, TypeElement owner, List<ExecutableElement> methods) {
    Report report = new Report();
    OperatorChecks checks = new OperatorChecks(env, report);
    methods.forEach(checks::check);
    Map<String, List<String>> derivatives = checks.derivatives(owner, methods);
    List<OperatorModel> models = new ArrayList<>();
    if (!report.hasErrors()) {
      for (ExecutableElement m : methods) {
        List<String> supplied = derivatives.get(m.getSimpleName().toString());
        Namer names = new Namer(OperatorReader.userNames(env, m));
        Body body = supplied != null ? null : new OperatorReader(env, report, m, names).readBody();
        models.add(new OperatorModel(owner, m, OperatorReader.params(env, m), body,
            supplied == null ? List.of() : supplied, names));
      }
    }
    report.print(env.trees(), processingEnv.getMessager());
    if (!report.hasErrors()) {
      write(new OperatorWriter(env.elements()).write(owner, models), owner);
    }
  }

  private void module(Env env, TypeElement type) {
    Report report = new Report();
    ModuleModel model = new ModuleChecks(env, report).read(type);
    report.print(env.trees(), processingEnv.getMessager());
    if (!report.hasErrors() && model != null) {
      write(new ModuleWriter(env.elements()).write(model), type);
    }
  }

  private void write(JavaFile file, Element origin) {
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
          Diagnostic.INTERNAL_ERROR.format(origin, "cannot write " + file.packageName() + "."
              + file.typeSpec().name() + ": " + e.getMessage()), origin);
    }
  }

  private void guarded(Env env, Element element, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
          Diagnostic.INTERNAL_ERROR.format(element, e), element);
    }
  }
}
