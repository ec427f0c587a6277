package zkynet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import zkynet.processor.diagnostics.Diagnostic;

/** The catalogue itself: stable, unique, well-formed IDs, and a negative test for every entry. */
class DiagnosticCatalogueTest {
  /** Every test class holding negative tests marked with {@link Covers}. */
  static final List<Class<?>> NEGATIVE_TESTS = List.of(
      OperatorDiagnosticsTest.class,
      DerivativeDiagnosticsTest.class,
      ModuleDiagnosticsTest.class,
      InternalErrorTest.class,
      CompilerSupportTest.class);

  @Test
  void idsAreUniqueAndWellFormed() {
    Set<String> seen = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (Diagnostic d : Diagnostic.values()) {
      assertTrue(d.id().matches("ZK[1-9][0-9][0-9]"), d + " has a malformed id " + d.id());
      if (!seen.add(d.id())) {
        duplicates.add(d.id());
      }
    }
    assertEquals(List.of(), duplicates, "duplicate catalogue ids");
  }

  @Test
  void idsAscendInDeclarationOrder() {
    Diagnostic[] all = Diagnostic.values();
    for (int i = 1; i < all.length; i++) {
      assertTrue(all[i - 1].id().compareTo(all[i].id()) < 0,
          all[i] + " (" + all[i].id() + ") is declared after " + all[i - 1] + " ("
              + all[i - 1].id() + "): keep the catalogue in id order");
    }
  }

  @Test
  void everyMessageStartsWithItsIdInBrackets() {
    for (Diagnostic d : Diagnostic.values()) {
      Object[] args = new Object[20];
      java.util.Arrays.fill(args, "ARG");
      String message = d.format(args);
      assertTrue(message.startsWith("[" + d.id() + "] "), message);
      assertTrue(!message.contains("%"), d + " has a placeholder other than %s: " + message);
    }
  }

  @Test
  void everyEntryHasANegativeTest() {
    Set<Diagnostic> covered = EnumSet.noneOf(Diagnostic.class);
    for (Class<?> c : NEGATIVE_TESTS) {
      for (Method m : c.getDeclaredMethods()) {
        Covers covers = m.getAnnotation(Covers.class);
        if (covers == null) {
          continue;
        }
        assertTrue(m.isAnnotationPresent(Test.class) && !m.isAnnotationPresent(Disabled.class),
            c.getSimpleName() + "." + m.getName() + " is marked @Covers but is not an enabled @Test");
        covered.addAll(List.of(covers.value()));
      }
    }
    Set<Diagnostic> missing = EnumSet.allOf(Diagnostic.class);
    missing.removeAll(covered);
    List<String> ids = missing.stream().map(d -> d.id() + " " + d).toList();
    assertEquals(List.of(), ids, "catalogue entries without a negative test (add one marked "
        + "@Covers to one of " + NEGATIVE_TESTS.stream().map(Class::getSimpleName).toList() + ")");
  }
}
