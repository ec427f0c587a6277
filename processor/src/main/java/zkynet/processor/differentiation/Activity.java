package zkynet.processor.differentiation;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zkynet.processor.differentiation.Backward.Flow;
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
 * Activity analysis of a lowered body, at compile time. Forward: the differentiable inputs each value
 * depends on ({@link #dependsOn}). Backward: whether the value reaches the output through steps that
 * pass a cotangent. A value is <em>active</em> when both hold: only active values get an adjoint, and
 * at run time the work for a value is needed exactly when one of the inputs it depends on is. A
 * called operator passes a cotangent to an argument unless its reverse pass is known never to return
 * a gradient for that input ({@link Callees}).
 */
final class Activity {
  private final Map<String, BitSet> deps = new HashMap<>();
  private final Set<String> live = new HashSet<>();
  private final Callees callees;

  /** With nothing known about called operators (every argument of one may receive a cotangent). */
  Activity(List<Param> differentiable, Body body) {
    this(differentiable, body, Callees.UNKNOWN);
  }

  Activity(List<Param> differentiable, Body body, Callees callees) {
    this.callees = callees;
    for (int k = 0; k < differentiable.size(); k++) {
      BitSet self = new BitSet();
      self.set(k);
      deps.put(differentiable.get(k).name(), self);
    }
    List<Step> steps = new ArrayList<>();
    for (Line line : body.lines()) {
      steps.addAll(line.steps());
    }
    for (Step step : steps) {
      BitSet d = new BitSet();
      for (Diff in : cotangentInputs(step)) {
        d.or(dependsOn(in.name()));
      }
      deps.put(step.target(), d);
    }
    if (body.output() instanceof Diff out) {
      live.add(out.name());
    }
    for (int i = steps.size() - 1; i >= 0; i--) {
      Step step = steps.get(i);
      if (live.contains(step.target())) {
        cotangentInputs(step).forEach(in -> live.add(in.name()));
      }
    }
  }

  /** The positions (among the differentiable inputs) of the inputs {@code value} depends on. */
  BitSet dependsOn(String value) {
    BitSet d = deps.get(value);
    return d == null ? new BitSet() : (BitSet) d.clone();
  }

  /** Whether {@code value} depends on a differentiable input and reaches the output. */
  boolean active(String value) {
    return live.contains(value) && !dependsOn(value).isEmpty();
  }

  /** The inputs of {@code step} that receive a part of its cotangent, in argument order. */
  List<Diff> cotangentInputs(Step step) {
    List<Diff> out = new ArrayList<>();
    if (step instanceof PrimitiveStep p) {
      List<Value> inputs = inputs(p);
      for (int i = 0; i < inputs.size(); i++) {
        if (p.rules().get(i) != null && inputs.get(i) instanceof Diff d) {
          out.add(d);
        }
      }
    } else if (step instanceof OperatorStep o) {
      int part = 0;
      for (int i = 0; i < o.args().size(); i++) {
        if (!o.differentiable().get(i)) {
          continue;
        }
        if (o.args().get(i) instanceof Diff d && callees.flow(o, part) != Flow.NONE) {
          out.add(d);
        }
        part++;
      }
    } else if (step instanceof AliasStep a) {
      out.add(a.source());
    }
    return out;
  }

  /** A primitive's receiver, then its arguments: the order of its rules. */
  static List<Value> inputs(PrimitiveStep p) {
    List<Value> inputs = new ArrayList<>();
    inputs.add(p.receiver());
    inputs.addAll(p.args());
    return inputs;
  }
}
