package example;

import java.nio.file.Path;
import zkynet.ModuleGraph;
import zkynet.viz.GraphViz;

/**
 * A user's program: runs the two models, checks their numbers against the closed forms, and draws
 * one graph. Exits with status 1 when a number is wrong.
 */
public final class Main {
  private static int failures;

  private Main() {}

  public static void main(String[] args) throws Exception {
    Cubic cubic = new Cubic(1);
    ModuleGraph g = cubic.apply(3);
    g.back();
    check("Cubic value at x = 3", 36, g.value().item());
    check("Cubic grad w", 9, g.grad(cubic.param("w")).item());
    check("Cubic grad x", 33, g.grad(cubic.input("x")).item());

    SoftScale soft = new SoftScale(0.5);
    ModuleGraph s = soft.apply(2);
    s.back();
    double sigmoid1 = 1 / (1 + Math.exp(-1));
    check("softplus(0.5 * 2)", Math.log(1 + Math.E), s.value().item());
    check("softplus grad w", sigmoid1 * 2, s.grad(soft.param("w")).item());
    check("softplus grad x", sigmoid1 * 0.5, s.grad(soft.input("x")).item());

    Path out = Path.of(args.length > 0 ? args[0] : "target/pictures");
    GraphViz.of(g).title("Cubic at x = 3").write(out, "cubic");
    System.out.println("picture: " + out.resolve("cubic.png"));
    if (failures > 0) {
      System.out.println(failures + " check(s) failed");
      System.exit(1);
    }
    System.out.println("all checks passed");
  }

  private static void check(String what, double expected, double actual) {
    boolean ok = Math.abs(expected - actual) <= 1e-5 * Math.max(1, Math.abs(expected));
    System.out.printf("%-22s %10.6f (expected %.6f) %s%n", what, actual, expected, ok ? "ok" : "WRONG");
    if (!ok) {
      failures++;
    }
  }
}
