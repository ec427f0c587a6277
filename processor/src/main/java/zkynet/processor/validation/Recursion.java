package zkynet.processor.validation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import zkynet.processor.diagnostics.Diagnostic;
import zkynet.processor.diagnostics.Report;
import zkynet.processor.model.OperatorReader.OperatorCall;

/**
 * Finds recursion among the {@code @Operator} methods of a round (directly, or through other
 * operators, in the same class or not): each cycle is reported once, on the call that enters it
 * from its first operator in source order, naming the whole cycle.
 */
public final class Recursion {
  private record Edge(OperatorCall call, Report report) {}

  private final Map<ExecutableElement, List<Edge>> calls = new LinkedHashMap<>();

  /** The calls read from one class's operators, whose errors go to {@code report}. */
  public void add(List<OperatorCall> found, Report report) {
    for (OperatorCall c : found) {
      calls.computeIfAbsent(c.caller(), k -> new ArrayList<>()).add(new Edge(c, report));
    }
  }

  /** Reports every cycle. */
  public void report() {
    Set<ExecutableElement> inReportedCycle = new HashSet<>();
    for (ExecutableElement start : calls.keySet()) {
      if (inReportedCycle.contains(start)) {
        continue;
      }
      List<Edge> cycle = shortestCycle(start);
      if (cycle.isEmpty()) {
        continue;
      }
      StringBuilder path = new StringBuilder(name(start));
      for (Edge e : cycle) {
        path.append(" -> ").append(name(e.call().callee()));
        inReportedCycle.add(e.call().callee());
      }
      Edge first = cycle.get(0);
      first.report().error(first.call().unit(), first.call().at(), Diagnostic.BODY_RECURSION,
          start.getSimpleName(), path);
    }
  }

  /** The calls of the shortest path from {@code start} back to it (breadth first); empty if none. */
  private List<Edge> shortestCycle(ExecutableElement start) {
    Map<ExecutableElement, Edge> reachedBy = new HashMap<>();
    Deque<ExecutableElement> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      ExecutableElement at = queue.removeFirst();
      for (Edge e : calls.getOrDefault(at, List.of())) {
        ExecutableElement next = e.call().callee();
        if (next.equals(start)) {
          List<Edge> cycle = new ArrayList<>(List.of(e));
          for (ExecutableElement m = at; !m.equals(start); m = reachedBy.get(m).call().caller()) {
            cycle.add(0, reachedBy.get(m));
          }
          return cycle;
        }
        if (!reachedBy.containsKey(next)) {
          reachedBy.put(next, e);
          queue.addLast(next);
        }
      }
    }
    return List.of();
  }

  private static String name(ExecutableElement m) {
    return m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName();
  }
}
