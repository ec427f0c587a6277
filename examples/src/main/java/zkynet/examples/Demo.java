package zkynet.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import zkynet.ModuleGraph;

/**
 * The README's main command: the seed's examples, pictures of their graphs, and training on real
 * data (handwritten digits, and XOR). Output files go to the directory given as the first argument
 * (default {@code demo-output}).
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "demo-output");
    Files.createDirectories(out);

    section("The seed's SimpleModel: f(x, w) = (x + w) * x^2 with w = 1");
    SimpleModel m = new SimpleModel(1);
    ModuleGraph at3 = m.apply(3);
    at3.back();
    System.out.println("f(3)          = " + at3.value());
    System.out.println("grad w        = " + at3.grad(m.param("w")));
    System.out.println("grad x        = " + at3.grad(m.input("x")));
    ModuleGraph atVec = m.apply(new double[] {3, 4, 5});
    atVec.back();
    System.out.println("f([3, 4, 5])  = " + atVec.value());
    System.out.println("grad w        = " + atVec.grad(m.param("w")));
    System.out.println("grad x (Jacobian) =\n" + atVec.grad(m.input("x")));

    section("The four composite models at x = 3 (and y = 4)");
    composite("no sharing", new CompositeNoSharing(1, 2).apply(3, 4));
    composite("weight sharing", new CompositeWeightSharing(1).apply(3, 4));
    composite("input sharing", new CompositeInputSharing(1, 2).apply(3));
    composite("weight and input sharing", new CompositeWeightAndInputSharing(1).apply(3));

    DemoExtras.run(out);
  }

  private static void composite(String name, ModuleGraph g) {
    g.back();
    StringBuilder grads = new StringBuilder();
    g.module().namedParameters().forEach((path, p) ->
        grads.append(", grad ").append(path).append(" = ").append(g.grad(p).item()));
    g.module().inputs().forEach(in ->
        grads.append(", grad ").append(in.shortName()).append(" = ").append(g.grad(in).item()));
    System.out.printf("%-26s value %s%s%n", name + ":", g.value().item(), grads);
  }

  static void section(String title) {
    System.out.println();
    System.out.println("== " + title);
  }

}
