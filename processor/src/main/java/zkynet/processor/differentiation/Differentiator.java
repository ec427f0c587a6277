package zkynet.processor.differentiation;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zkynet.processor.differentiation.Backward.Accumulate;
import zkynet.processor.differentiation.Backward.BatchRank;
import zkynet.processor.differentiation.Backward.CallBackward;
import zkynet.processor.differentiation.Backward.Comment;
import zkynet.processor.differentiation.Backward.Contribution;
import zkynet.processor.differentiation.Backward.Declare;
import zkynet.processor.differentiation.Backward.Flag;
import zkynet.processor.differentiation.Backward.Flow;
import zkynet.processor.differentiation.Backward.Guard;
import zkynet.processor.differentiation.Backward.IfPresent;
import zkynet.processor.differentiation.Backward.Statement;
import zkynet.processor.model.Namer;
import zkynet.processor.model.OperatorModel;
import zkynet.processor.model.OperatorModel.AliasStep;
import zkynet.processor.model.OperatorModel.Body;
import zkynet.processor.model.OperatorModel.Diff;
import zkynet.processor.model.OperatorModel.Line;
import zkynet.processor.model.OperatorModel.OperatorStep;
import zkynet.processor.model.OperatorModel.Param;
import zkynet.processor.model.OperatorModel.PrimitiveStep;
import zkynet.processor.model.OperatorModel.Step;
import zkynet.processor.model.OperatorModel.Value;

/**
 * The differentiation phase: turns an operator's lowered body into its reverse pass (source
 * transformation, one statement per rule application), using {@link Activity} so that only values
 * that depend on a differentiable input and reach the output get an adjoint, and guarding work by
 * the run-time {@code needed} flags so that only gradients that are asked for are computed. The
 * rules come from the runtime's table, recorded on the primitive steps by the reader.
 *
 * <p>An adjoint is declared only for an active value. The work that writes it runs exactly when one
 * of the inputs it depends on is needed, which is also when the statements that read it run (the
 * caller asks for at least one input), so a needed-guard is printed only where that is not already
 * known to hold. Rules never return null (those that always would, {@code stopGradient}'s, are
 * known at compile time and leave the value inactive), so an adjoint that receives a rule's
 * contribution is never null when read. A called operator's reverse pass returns, per input, never a
 * gradient, one whenever asked, or maybe one ({@link Callees}: from the callee's own derivation or
 * its {@code @GradientFlow}); an argument that never gets one is inactive through that call, one
 * that gets it whenever asked is never null when read, and only an adjoint all of whose
 * contributions may be null is tested for null.
 */
public final class Differentiator {
  private final Namer namer;
  private final Callees callees;
  private final int inputCount;
  private final String cotangent;
  private final String needed;
  private final String batch;
  private final Map<String, String> adjoints = new LinkedHashMap<>();
  private final Set<String> present = new HashSet<>();
  private boolean batchUsed;

  private Differentiator(Namer namer, Callees callees, int inputCount) {
    this.namer = namer;
    this.callees = callees;
    this.inputCount = inputCount;
    this.cotangent = namer.name("gOut");
    this.needed = namer.name("needed");
    this.batch = namer.name("batch");
  }

  /**
   * The reverse pass of an operator whose body was lowered ({@code op.body()} not null), knowing
   * what the operators it calls return from {@code callees}.
   */
  public static Backward derived(OperatorModel op, Namer namer, Callees callees) {
    List<Param> diff = op.differentiableParams();
    return new Differentiator(namer, callees, diff.size()).derive(diff, op.body());
  }

  /**
   * The reverse pass of an operator with user-supplied {@code @Derivative} methods, whose forward
   * value is held in {@code output}.
   */
  public static Backward supplied(OperatorModel op, String output, Namer namer) {
    List<Param> diff = op.differentiableParams();
    Differentiator d = new Differentiator(namer, Callees.UNKNOWN, diff.size());
    List<String> args = new ArrayList<>(List.of(d.cotangent, output));
    op.params().forEach(p -> args.add(p.name()));
    List<Statement> body = new ArrayList<>();
    List<String> results = new ArrayList<>();
    for (int k = 0; k < diff.size(); k++) {
      String in = diff.get(k).name();
      String adjoint = namer.adjoint(in);
      body.add(new Declare(adjoint, "null"));
      BitSet only = new BitSet();
      only.set(k);
      d.guarded(only, d.all(), List.of(new Contribution(adjoint, true, op.derivatives().get(k), args,
          in, d.useBatch())), body);
      results.add(adjoint);
    }
    // a user's derivative may return null ("no gradient")
    return d.finish(output, body, results, Collections.nCopies(diff.size(), Flow.MAYBE));
  }

  private Backward derive(List<Param> diff, Body body) {
    Activity activity = new Activity(diff, body, callees);
    String output = body.output() instanceof Diff d ? d.name() : null;
    List<Statement> out = new ArrayList<>();
    List<String> values = new ArrayList<>();
    diff.forEach(p -> values.add(p.name()));
    for (Line line : body.lines()) {
      line.steps().forEach(s -> values.add(s.target()));
    }
    for (String v : values) {
      if (activity.active(v) && !adjoints.containsKey(v)) {
        adjoints.put(v, namer.adjoint(v));
        out.add(new Declare(adjoints.get(v), v.equals(output) ? cotangent : "null"));
      }
    }
    if (!adjoints.isEmpty()) {
      out.add(new Comment("---------------- backward, last forward line first"));
    }
    if (output != null) {
      present.add(output);
    }
    List<Line> lines = body.lines();
    for (int i = lines.size() - 1; i >= 0; i--) {
      List<Step> steps = lines.get(i).steps();
      if (steps.stream().noneMatch(s -> activity.active(s.target()))) {
        continue;
      }
      out.add(new Comment(lines.get(i).source()));
      for (int j = steps.size() - 1; j >= 0; j--) {
        if (activity.active(steps.get(j).target())) {
          adjointOf(steps.get(j), activity, out);
        }
      }
    }
    List<String> results = diff.stream().map(p -> adjoints.get(p.name())).toList();
    List<Flow> flows = diff.stream().map(p -> !adjoints.containsKey(p.name()) ? Flow.NONE
        : present.contains(p.name()) ? Flow.WHEN_NEEDED : Flow.MAYBE).toList();
    return finish(body.output().code(), out, results, flows);
  }

  private Backward finish(String output, List<Statement> body, List<String> results, List<Flow> flows) {
    List<Statement> all = new ArrayList<>();
    if (batchUsed) {
      all.add(new BatchRank(batch, output));
    }
    all.addAll(body);
    return new Backward(cotangent, needed, List.copyOf(all), results, flows);
  }

  /** The statements that pass the cotangent of active {@code step} to its active inputs. */
  private void adjointOf(Step step, Activity activity, List<Statement> out) {
    BitSet scope = activity.dependsOn(step.target());
    String g = adjoints.get(step.target());
    boolean isPresent = present.contains(step.target());
    List<Statement> body = new ArrayList<>();
    if (step instanceof PrimitiveStep p) {
      List<Value> inputs = Activity.inputs(p);
      List<String> args = new ArrayList<>(List.of(g, p.target()));
      inputs.forEach(v -> args.add(v.code()));
      for (int i = 0; i < inputs.size(); i++) {
        if (p.rules().get(i) != null && inputs.get(i) instanceof Diff in && activity.active(in.name())) {
          guarded(activity.dependsOn(in.name()), scope, List.of(new Contribution(adjoints.get(in.name()),
              false, p.rules().get(i), args, in.name(), useBatch())), body);
          markPresent(in.name(), isPresent);
        }
      }
    } else if (step instanceof OperatorStep o) {
      String parts = namer.adjoint(o.callField());
      List<Flag> flags = new ArrayList<>();
      List<Statement> accumulations = new ArrayList<>();
      for (int i = 0; i < o.args().size(); i++) {
        if (!o.differentiable().get(i)) {
          continue;
        }
        int part = flags.size();
        Flow flow = callees.flow(o, part);
        if (o.args().get(i) instanceof Diff in && activity.active(in.name()) && flow != Flow.NONE) {
          BitSet d = activity.dependsOn(in.name());
          flags.add(d.equals(scope) ? new Flag(true, List.of()) : new Flag(false, positions(d)));
          guarded(d, scope, List.of(new Accumulate(adjoints.get(in.name()), parts + "[" + part + "]",
              in.name(), useBatch())), accumulations);
          markPresent(in.name(), isPresent && flow == Flow.WHEN_NEEDED);
        } else {
          flags.add(new Flag(false, List.of()));
        }
      }
      body.add(new CallBackward(parts, o.callField(), g, flags));
      body.addAll(accumulations);
    } else if (step instanceof AliasStep a) {
      body.add(new Accumulate(adjoints.get(a.source().name()), g, a.source().name(), useBatch()));
      markPresent(a.source().name(), isPresent);
    }
    guarded(scope, all(), isPresent ? body : List.of(new IfPresent(g, List.copyOf(body))), out);
  }

  /**
   * Records that {@code value}'s adjoint is never null when read, if the contribution just made to it
   * is never null ({@code from} a cotangent that is never null, through a rule, an alias, or a called
   * operator that returns the part whenever asked). Called in reverse order, so all of a value's
   * consumers are seen before its own step.
   */
  private void markPresent(String value, boolean from) {
    if (from) {
      present.add(value);
    }
  }

  /** Adds {@code body} to {@code out}, inside a guard on {@code inputs} unless {@code known} implies it. */
  private void guarded(BitSet inputs, BitSet known, List<Statement> body, List<Statement> out) {
    if (inputs.equals(known)) {
      out.addAll(body);
    } else {
      out.add(new Guard(positions(inputs), List.copyOf(body)));
    }
  }

  /** Every differentiable input: the caller asks for at least one, so "any of them" always holds. */
  private BitSet all() {
    BitSet all = new BitSet();
    all.set(0, inputCount);
    return all;
  }

  private String useBatch() {
    batchUsed = true;
    return batch;
  }

  private static List<Integer> positions(BitSet set) {
    return set.stream().boxed().toList();
  }
}
