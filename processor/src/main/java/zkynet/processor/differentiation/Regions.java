package zkynet.processor.differentiation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.type.TypeMirror;
import zkynet.processor.differentiation.Backward.Flow;
import zkynet.processor.model.Namer;
import zkynet.processor.model.Names;
import zkynet.processor.model.OperatorModel;
import zkynet.processor.model.OperatorModel.AliasStep;
import zkynet.processor.model.OperatorModel.Body;
import zkynet.processor.model.OperatorModel.ConstStep;
import zkynet.processor.model.OperatorModel.Const;
import zkynet.processor.model.OperatorModel.Diff;
import zkynet.processor.model.OperatorModel.Line;
import zkynet.processor.model.OperatorModel.OperatorStep;
import zkynet.processor.model.OperatorModel.Param;
import zkynet.processor.model.OperatorModel.PrimitiveStep;
import zkynet.processor.model.OperatorModel.Step;
import zkynet.processor.model.OperatorModel.Value;

/**
 * The elementwise regions of an operator body that does not fuse as a whole (a {@code matmul}, a
 * {@code reshape}, an axis reduction, a call to another operator ... splits it), each outlined into
 * an operator of its own that {@link Fusion} fuses like any body that is one region, and that the
 * body calls as one step: its derivative composes the region's as that of any called operator, with
 * the region's gradient flow known here.
 *
 * <p>A region is a maximal run of steps a fused loop computes (elementwise primitives, aliases, and a
 * closing full or last-axis sum or mean, which ends it). A step that does not read a value of the
 * run (a {@code reshape} of a weight, a hoisted constant, another input's matrix product) does not
 * end it: the body computes it before the region's call, in its order. A step that reads one ends it.
 * A region has one output, its last value: one of its other values that is used outside it (by a
 * later step, or as the result) ends the region there. A region of fewer than two primitives is not
 * outlined (it is one loop already); the notes say so.
 */
public final class Regions {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z_$0-9]*");

  /**
   * An outlined region.
   *
   * @param className its class, a private class of the facade
   * @param callField the field of the body's class holding the region's call
   * @param model the region as an operator: its inputs as parameters, its steps as body
   * @param primitives its primitives in order, for comments ({@code add, tanh})
   */
  public record Region(String className, String callField, OperatorModel model, String primitives) {}

  /**
   * An operator body with its regions outlined.
   *
   * @param outer the operator, each region of its body replaced by one call of the region
   * @param reason why the body does not fuse as a whole
   * @param regions the outlined regions, in body order
   * @param notes why the other elementwise steps of the body are not in a region
   * @param facade the qualified name of the facade class the regions are nested in
   * @param flows per region class, what its reverse pass returns per input
   */
  public record Outline(OperatorModel outer, String reason, List<Region> regions, List<String> notes,
      String facade, Map<String, List<Flow>> flows) {

    /** {@code others}, knowing also what the regions' reverse passes return. */
    public Callees callees(Callees others) {
      return step -> step.facade().equals(facade) && flows.containsKey(step.opClass())
          ? flows.get(step.opClass()) : others.flows(step);
    }

    /** The region whose call is held in field {@code callField}; null if none. */
    public Region calledBy(String callField) {
      return regions.stream().filter(r -> r.callField().equals(callField)).findFirst().orElse(null);
    }
  }

  /** A run of steps (positions in the body) and the value used outside it that ended it, if any. */
  private record Piece(List<Integer> steps, String endsAt) {}

  private final OperatorModel op;
  private final Set<String> scalarRules;
  private final List<Step> steps;
  private final Map<String, TypeMirror> types = new HashMap<>();
  private final Map<String, String> typeNames = new HashMap<>();
  /** The constants computed in the body: target to expression (a closer's axes). */
  private final Map<String, String> constants;
  private final List<Set<String>> uses = new ArrayList<>();
  /** The values some step reads, and the result. */
  private final Set<String> read = new HashSet<>();
  /** Values computed from reductions only ({@link #reduced}). */
  private final Set<String> reduced = new HashSet<>();
  /** Why the elementwise steps of reduced values alone are not in a region, for the notes. */
  private final List<String> hoisted = new ArrayList<>();

  private Regions(OperatorModel op, Set<String> scalarRules) {
    this.op = op;
    this.scalarRules = scalarRules;
    this.steps = Fusion.steps(op.body());
    this.constants = Fusion.constants(steps);
    op.params().forEach(p -> types.put(p.name(), p.type()));
    Set<String> targets = new HashSet<>();
    for (Step s : steps) {
      targets.add(s.target());
      if (s instanceof ConstStep k) {
        types.put(k.target(), k.type());
      }
    }
    types.forEach((name, type) -> typeNames.put(name, type.toString()));
    for (Step s : steps) {
      Set<String> used = new HashSet<>();
      for (String code : codesRead(s)) {
        Matcher m = IDENTIFIER.matcher(code);
        while (m.find()) {
          if (targets.contains(m.group())) {
            used.add(m.group());
          }
        }
      }
      uses.add(used);
      read.addAll(used);
    }
    read.add(op.body().output().code());
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i) instanceof PrimitiveStep p && REDUCTIONS.contains(p.method()) || readsReducedOnly(i)) {
        reduced.add(steps.get(i).target());
      }
    }
  }

  /** The primitives that reduce axes: their values have fewer elements than the tensors they reduce. */
  private static final Set<String> REDUCTIONS = Set.of("sum", "mean", "max", "min");

  /**
   * Whether step {@code i} reads tensors, all of them {@link #reduced} values (numbers aside): a
   * value computed from reductions only, such as the {@code log} of a row sum or the {@code sqrt}
   * of a row variance, has (as far as the processor can tell) fewer elements than the tensors they
   * were reduced from.
   */
  private boolean readsReducedOnly(int i) {
    Step s = steps.get(i);
    List<Value> in = s instanceof PrimitiveStep p ? Activity.inputs(p)
        : s instanceof AliasStep a ? List.of(a.source()) : List.of();
    boolean any = false;
    for (Value v : in) {
      if (v instanceof Diff d) {
        if (!reduced.contains(d.name())) {
          return false;
        }
        any = true;
      } else if (v instanceof Const c && types.containsKey(c.source()) && !Fusion.isScalarParam(typeNames.get(c.source()))) {
        return false; // a tensor parameter or constant: its size is not known here
      }
    }
    return any;
  }

  /**
   * The outline of {@code op}'s body, or null when there is nothing to outline: the body fuses as a
   * whole (or is the user's), or it has no region of two or more primitives. Region classes are
   * named by {@code classNames} (the facade's nested classes), their calls' fields by the
   * operator's own name allocator; {@code tensor} is the type {@code zkynet.Tensor}.
   */
  public static Outline of(OperatorModel op, Set<String> scalarRules, TypeMirror tensor, String facade,
      Namer classNames) {
    if (op.body() == null || tensor == null || scalarRules.isEmpty()) {
      return null;
    }
    String reason = Fusion.whyNot(op, scalarRules);
    if (reason == null) {
      return null;
    }
    return new Regions(op, scalarRules).outline(reason, tensor, facade, classNames);
  }

  private Outline outline(String reason, TypeMirror tensor, String facade, Namer classNames) {
    List<Piece> candidates = new ArrayList<>();
    for (List<Integer> run : runs()) {
      candidates.addAll(cut(run));
    }
    List<Piece> chosen = new ArrayList<>();
    List<String> notes = new ArrayList<>(hoisted);
    for (Piece p : candidates) {
      long primitives = p.steps().stream().filter(i -> steps.get(i) instanceof PrimitiveStep).count();
      if (primitives >= 2 && recomputesOnly(p)) {
        notes.add("region " + targets(p) + " (one transcendental function closed by a reduction: the"
            + " fused backward would compute it again at each element)");
      } else if (primitives >= 2) {
        chosen.add(p);
      } else if (primitives == 1) {
        notes.add("region " + targets(p) + " (a single primitive is one loop already"
            + (p.endsAt() == null ? ")" : "; " + p.endsAt() + " is used outside the region)"));
      }
    }
    String opClass = Names.operatorClass(op.name());
    List<Region> regions = new ArrayList<>();
    Map<Integer, OperatorStep> callAt = new HashMap<>();
    Set<Integer> outlined = new HashSet<>();
    Map<String, List<Flow>> flows = new LinkedHashMap<>();
    for (Piece p : chosen) {
      OperatorModel model = regionModel(p, tensor);
      String why = Fusion.whyNot(model, scalarRules);
      if (why != null) { // not expected: the steps were chosen as whyNot accepts them
        notes.add("region " + targets(p) + " (" + why + ")");
        continue;
      }
      Region region = region(p, model, classNames.numbered(opClass + "Region"), facade, callAt);
      outlined.addAll(p.steps());
      flows.put(region.className(), Differentiator.derived(model, model.names().copy(), Callees.UNKNOWN).flows());
      regions.add(region);
    }
    if (regions.isEmpty()) {
      return null;
    }
    OperatorModel outer = new OperatorModel(op.owner(), op.method(), op.params(),
        outerBody(outlined, callAt), op.derivatives(), op.names());
    return new Outline(outer, reason, List.copyOf(regions), List.copyOf(notes), facade, flows);
  }

  /** The region of piece {@code p} as {@code model}, its call recorded in {@code callAt} (at its last step). */
  private Region region(Piece p, OperatorModel model, String className, String facade,
      Map<Integer, OperatorStep> callAt) {
    String callField = op.names().numbered("region");
    List<Value> args = new ArrayList<>();
    model.params().forEach(q -> args.add(q.differentiable() ? new Diff(q.name()) : new Const(q.name())));
    int last = p.steps().get(p.steps().size() - 1);
    callAt.put(last, new OperatorStep(steps.get(last).target(), callField, facade, className, args,
        model.params().stream().map(Param::differentiable).toList()));
    return new Region(className, callField, model, String.join(", ", p.steps().stream()
        .filter(i -> steps.get(i) instanceof PrimitiveStep).map(i -> describe((PrimitiveStep) steps.get(i)))
        .toList()));
  }

  /**
   * Whether piece {@code p} is one primitive that calls a transcendental function, closed by a
   * reduction ({@code x.exp().sum(new int[] {-1}, true)}): fused, the forward saves one store, and
   * the backward computes the function again at each element where op by op it reads the stored
   * value. Measured with {@code FusionBenchmark.logSoftmax} on [1000, 1000], medians: with its {@code
   * exp, sum(-1)} fused 15.1-16.6 ms, op by op 12.0-12.3 ms.
   */
  private boolean recomputesOnly(Piece p) {
    List<PrimitiveStep> primitives = p.steps().stream().map(steps::get)
        .filter(PrimitiveStep.class::isInstance).map(PrimitiveStep.class::cast).toList();
    return primitives.size() == 2 && Fusion.isCloser(primitives.get(1), constants)
        && Elementwise.costly(primitives.get(0).method());
  }

  /** Maximal runs of fusable steps, each ended by a closer or by a step that reads one of its values. */
  private List<List<Integer>> runs() {
    List<List<Integer>> runs = new ArrayList<>();
    List<Integer> run = new ArrayList<>();
    Set<String> values = new HashSet<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      if (fusable(s)) {
        run.add(i);
        values.add(s.target());
        if (!(s instanceof PrimitiveStep p && Fusion.isCloser(p, constants))) {
          continue;
        }
      } else if (uses.get(i).stream().noneMatch(values::contains)) {
        continue; // computed before the region's call
      }
      addRun(runs, run);
      run = new ArrayList<>();
      values = new HashSet<>();
    }
    addRun(runs, run);
    return runs;
  }

  /**
   * Adds {@code run} to {@code runs}, without its steps that read {@link #reduced} values only when
   * others read larger ones and one of them calls a transcendental function: in a loop over the
   * larger shape such a step (the {@code log} of a row sum in {@code logSoftmax}) is computed at
   * every element. Measured with {@code FusionBenchmark} on [1000, 1000], medians: {@code
   * logSoftmax} with its {@code log} in the loop 20-26 ms, op by op 12-15 ms. Arithmetic is kept
   * ({@code normalizeLast}'s {@code add, sqrt} of the row variance: fused 7.8 ms, op by op 8.1).
   * They run op by op before the region's call, over their own elements.
   */
  private void addRun(List<List<Integer>> runs, List<Integer> run) {
    List<Integer> small = run.stream().filter(this::readsReducedOnly).toList();
    boolean costly = small.stream().anyMatch(i -> steps.get(i) instanceof PrimitiveStep p
        && Elementwise.costly(p.method()));
    if (costly && small.size() < run.size()) {
      run = run.stream().filter(i -> !small.contains(i)).toList();
      hoisted.add(String.join(", ", small.stream().map(i -> steps.get(i).target()).toList())
          + " (computed from reductions only, with a transcendental function: op by op over their"
          + " own elements, not at each element of the loop)");
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
  }

  /**
   * Whether a fused loop can compute step {@code s}, and should: a value nothing reads stays out of
   * regions (a loop over the shape of all its operands would give the output the shape of that value).
   */
  private boolean fusable(Step s) {
    if (!read.contains(s.target())) {
      return false;
    }
    if (s instanceof AliasStep) {
      return true;
    }
    return s instanceof PrimitiveStep p
        && (Fusion.isCloser(p, constants) || Fusion.whyNotElementwise(p, scalarRules, typeNames) == null);
  }

  /** {@code run} cut after each value (but its last) that is used outside its piece. */
  private List<Piece> cut(List<Integer> run) {
    List<Piece> pieces = new ArrayList<>(List.of(new Piece(run, null)));
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int k = 0; k < pieces.size() && !changed; k++) {
        Piece p = pieces.get(k);
        for (int j = 0; j < p.steps().size() - 1 && !changed; j++) {
          String value = steps.get(p.steps().get(j)).target();
          if (usedOutside(value, p.steps())) {
            pieces.set(k, new Piece(p.steps().subList(0, j + 1), value));
            pieces.add(k + 1, new Piece(p.steps().subList(j + 1, p.steps().size()), p.endsAt()));
            changed = true;
          }
        }
      }
    }
    return pieces;
  }

  private boolean usedOutside(String value, List<Integer> piece) {
    if (op.body().output() instanceof Diff d && d.name().equals(value)) {
      return true;
    }
    for (int i = 0; i < steps.size(); i++) {
      if (!piece.contains(i) && uses.get(i).contains(value)) {
        return true;
      }
    }
    return false;
  }

  /** The region as an operator: the values it reads from outside as parameters, in order of use. */
  private OperatorModel regionModel(Piece p, TypeMirror tensor) {
    Set<String> inside = new HashSet<>();
    Map<String, Param> params = new LinkedHashMap<>();
    Map<Step, Step> written = new HashMap<>();
    for (int i : p.steps()) {
      Step s = inlinedAxes(steps.get(i));
      written.put(steps.get(i), s);
      List<Value> read = s instanceof PrimitiveStep ps ? Activity.inputs(ps) : List.of(((AliasStep) s).source());
      for (Value v : read) {
        if (v instanceof Diff d && !inside.contains(d.name())) {
          params.putIfAbsent(d.name(), new Param(d.name(), tensor, true));
        } else if (v instanceof Const c && types.containsKey(c.source())) {
          params.putIfAbsent(c.source(), new Param(c.source(), types.get(c.source()), false));
        }
      }
      inside.add(s.target());
    }
    List<Line> lines = new ArrayList<>();
    for (Line line : op.body().lines()) {
      List<Step> in = line.steps().stream().filter(s -> p.steps().contains(steps.indexOf(s)))
          .map(written::get).toList();
      if (!in.isEmpty()) {
        lines.add(new Line(line.source(), in));
      }
    }
    String output = steps.get(p.steps().get(p.steps().size() - 1)).target();
    return new OperatorModel(op.owner(), op.method(), List.copyOf(params.values()),
        new Body(List.copyOf(lines), new Diff(output)), List.of(), op.names().copy());
  }

  /**
   * Step {@code s}, or, for a closer whose axes are a constant of the body ({@code axes1 = new int[]
   * {-1}}), the closer with the array literal written in the call: the region needs no such
   * parameter, and {@link Fusion} knows its axis from the call alone.
   */
  private Step inlinedAxes(Step s) {
    if (!(s instanceof PrimitiveStep p && p.args().size() == 2 && Fusion.isCloser(p, constants)
        && constants.containsKey(p.args().get(0).code()))) {
      return s;
    }
    List<Value> args = List.of(new Const(constants.get(p.args().get(0).code())), p.args().get(1));
    return new PrimitiveStep(p.target(), p.method(), p.receiver(), args, p.rules());
  }

  /** The body with each region's steps replaced by its call, at the place of its last step. */
  private Body outerBody(Set<Integer> outlined, Map<Integer, OperatorStep> callAt) {
    List<Line> lines = new ArrayList<>();
    int i = 0;
    for (Line line : op.body().lines()) {
      List<Step> kept = new ArrayList<>();
      for (Step s : line.steps()) {
        if (callAt.containsKey(i)) {
          kept.add(callAt.get(i));
        } else if (!outlined.contains(i)) {
          kept.add(s);
        }
        i++;
      }
      if (!kept.isEmpty()) {
        lines.add(new Line(line.source(), List.copyOf(kept)));
      }
    }
    return new Body(List.copyOf(lines), op.body().output());
  }

  /** The code of every value and expression step {@code s} reads. */
  private static List<String> codesRead(Step s) {
    List<String> out = new ArrayList<>();
    if (s instanceof PrimitiveStep p) {
      Activity.inputs(p).forEach(v -> out.add(v.code()));
    } else if (s instanceof OperatorStep o) {
      o.args().forEach(v -> out.add(v.code()));
    } else if (s instanceof ConstStep k) {
      out.add(k.expression());
    } else if (s instanceof AliasStep a) {
      out.add(a.source().code());
    }
    return out;
  }

  private String targets(Piece p) {
    return String.join(", ", p.steps().stream().map(i -> steps.get(i).target()).toList());
  }

  /** {@code add}, or {@code sum(-1)} for a closer over the last axis (with or without keepDims). */
  private String describe(PrimitiveStep p) {
    return Fusion.isCloser(p, constants) && !p.args().isEmpty() ? p.method() + "(-1)" : p.method();
  }
}
