package zkynet.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * The validation result for one annotated element: a list of errors, each attached to an element or
 * to an exact tree (an expression or statement). Printed once; generation stops when it has any.
 */
public final class Report {
  private record Entry(Element element, CompilationUnitTree unit, Tree tree, String message) {}

  private final List<Entry> entries = new ArrayList<>();

  /** An error on an element (method, parameter, field, class). */
  public void error(Element element, Diagnostic d, Object... args) {
    entries.add(new Entry(element, null, null, d.format(args)));
  }

  /** An error on an exact tree (expression or statement) of a compilation unit. */
  public void error(CompilationUnitTree unit, Tree tree, Diagnostic d, Object... args) {
    entries.add(new Entry(null, unit, tree, d.format(args)));
  }

  public boolean hasErrors() {
    return !entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /**
   * This report with every error on an element moved to the element's declaration tree, so that it
   * can be printed in a later round, when the elements of this round may be stale but the trees of
   * the compilation units stay.
   */
  public Report pinned(Trees trees) {
    Report pinned = new Report();
    for (Entry e : entries) {
      TreePath path = e.element == null ? null : trees.getPath(e.element);
      pinned.entries.add(path == null ? e
          : new Entry(null, path.getCompilationUnit(), path.getLeaf(), e.message));
    }
    return pinned;
  }

  /** Prints every entry through javac. */
  public void print(Trees trees, javax.annotation.processing.Messager messager) {
    for (Entry e : entries) {
      if (e.tree != null) {
        trees.printMessage(Kind.ERROR, e.message, e.tree, e.unit);
      } else {
        messager.printMessage(Kind.ERROR, e.message, e.element);
      }
    }
  }
}
