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
import zkynet.processor.differentiation.CalleeFlows;
import zkynet.processor.differentiation.Callees;
import zkynet.processor.model.Env;
import zkynet.processor.model.ModuleModel;
import zkynet.processor.model.Names;
import zkynet.processor.model.Namer;
import zkynet.processor.model.OperatorModel;
import zkynet.processor.model.OperatorModel.Body;
import zkynet.processor.model.OperatorReader;
import zkynet.processor.model.OperatorReader.OperatorCall;
import zkynet.processor.validation.ModuleChecks;
import zkynet.processor.validation.OperatorChecks;
import zkynet.processor.validation.Recursion;

/**
 * zkynet's annotation processor. One pipeline per annotated element: read the source into a model,
 * validate into a report, differentiate, print the report, stop if it has errors, otherwise
 * generate. For each class with {@code @Operator} methods it writes {@code FooOps}; for each
 * {@code @Module} class, {@code Zk_Foo}. It never claims the annotations.
 *
 * <p>Operators are read for the whole round before anything is written, so that recursion among
 * them (within a class or across classes) is found. A module with errors still gets a placeholder
 * {@code Zk_Foo} and its errors are printed in the next round, once that class exists, so that the
 * one real error is not followed by {@code cannot find symbol Zk_Foo}.
 */
@AutoService(Processor.class)
public final class ZkynetProcessor extends AbstractProcessor {
  private final List<Report> deferred = new ArrayList<>();
  private boolean noTreeApiReported;

  /** One class's operators after reading: its report, models and calls to other operators. */
  private record OperatorClass(TypeElement owner, Report report, List<OperatorModel> models,
      List<OperatorCall> calls) {}

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
    Env env = env();
    if (env == null) {
      return false;
    }
    deferred.forEach(r -> r.print(env.trees(), processingEnv.getMessager()));
    deferred.clear();
    TypeElement operator = env.elements().getTypeElement(Names.OPERATOR);
    TypeElement module = env.elements().getTypeElement(Names.MODULE);
    if (operator != null) {
      TypeElement derivative = env.elements().getTypeElement(Names.DERIVATIVE);
      List<OperatorClass> read = new ArrayList<>();
      for (Map.Entry<TypeElement, List<ExecutableElement>> e
          : operatorsByClass(round, operator, derivative).entrySet()) {
        guarded(e.getKey(), () -> read.add(readOperators(env, e.getKey(), e.getValue())));
      }
      Recursion recursion = new Recursion();
      read.forEach(c -> recursion.add(c.calls(), c.report()));
      recursion.report();
      Set<TypeElement> failed = failed(read);
      CalleeFlows callees = new CalleeFlows(env.elements(), read.stream()
          .filter(c -> !failed.contains(c.owner())).flatMap(c -> c.models().stream()).toList());
      for (OperatorClass c : read) {
        guarded(c.owner(), () -> writeOperators(env, c, failed, callees));
      }
    }
    if (module != null) {
      for (Element e : round.getElementsAnnotatedWith(module)) {
        if (e instanceof TypeElement type) {
          guarded(type, () -> module(env, type));
        }
      }
    }
    if (round.processingOver()) {
      deferred.forEach(r -> r.print(env.trees(), processingEnv.getMessager()));
      deferred.clear();
    }
    return false;
  }

  /**
   * The compiler's view, or null under a compiler without javac's tree API (Eclipse's ecj, where
   * {@code Trees.instance} throws): then one clear error, once, instead of a crash.
   */
  private Env env() {
    try {
      return new Env(processingEnv);
    } catch (IllegalArgumentException | LinkageError e) {
      if (!noTreeApiReported) {
        noTreeApiReported = true;
        processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
            Diagnostic.NO_TREE_API.format(processingEnv.getClass().getName()));
      }
      return null;
    }
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

  private static OperatorClass readOperators(Env env, TypeElement owner,
      List<ExecutableElement> methods) {
    Report report = new Report();
    OperatorChecks checks = new OperatorChecks(env, report);
    methods.forEach(checks::check);
    Map<String, List<String>> derivatives = checks.derivatives(owner, methods);
    List<OperatorModel> models = new ArrayList<>();
    List<OperatorCall> calls = new ArrayList<>();
    if (!report.hasErrors()) {
      for (ExecutableElement m : methods) {
        List<String> supplied = derivatives.get(m.getSimpleName().toString());
        Namer names = new Namer(OperatorReader.userNames(env, m));
        Body body = null;
        if (supplied == null) {
          OperatorReader reader = new OperatorReader(env, report, m, names);
          body = reader.readBody();
          calls.addAll(reader.operatorCalls());
        }
        models.add(new OperatorModel(owner, m, OperatorReader.params(env, m), body,
            supplied == null ? List.of() : supplied, names));
      }
    }
    return new OperatorClass(owner, report, models, calls);
  }

  private void writeOperators(Env env, OperatorClass c, Set<TypeElement> failed, Callees callees) {
    c.report().print(env.trees(), processingEnv.getMessager());
    if (!failed.contains(c.owner())) {
      write(new OperatorWriter(env.elements(), callees).write(c.owner(), c.models()), c.owner());
    }
  }

  /**
   * The classes not to generate: those with errors, and those whose operators call into one of
   * them (their code would not compile; the error that explains it is already reported).
   */
  private static Set<TypeElement> failed(List<OperatorClass> read) {
    Set<TypeElement> failed = new java.util.HashSet<>();
    read.stream().filter(c -> c.report().hasErrors()).forEach(c -> failed.add(c.owner()));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (OperatorClass c : read) {
        if (!failed.contains(c.owner()) && c.calls().stream()
            .anyMatch(call -> failed.contains((TypeElement) call.callee().getEnclosingElement()))) {
          grew = failed.add(c.owner());
        }
      }
    }
    return failed;
  }

  private void module(Env env, TypeElement type) {
    Report report = new Report();
    ModuleModel model = new ModuleChecks(env, report).read(type);
    ModuleWriter writer = new ModuleWriter(env.elements());
    if (!report.hasErrors() && model != null) {
      write(writer.write(model), type);
    } else if (write(writer.placeholder(type, ModuleChecks.forwardInputs(type)), type)) {
      deferred.add(report.pinned(env.trees()));
    } else {
      report.print(env.trees(), processingEnv.getMessager());
    }
  }

  /** Writes {@code file}; false (with an error) when it cannot be written. */
  private boolean write(JavaFile file, Element origin) {
    try {
      file.writeTo(processingEnv.getFiler());
      return true;
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
          Diagnostic.INTERNAL_ERROR.format(origin, "cannot write " + file.packageName() + "."
              + file.typeSpec().name() + ": " + e.getMessage()), origin);
      return false;
    }
  }

  private void guarded(Element element, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
          Diagnostic.INTERNAL_ERROR.format(element, e), element);
    }
  }
}
