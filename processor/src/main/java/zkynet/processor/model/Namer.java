package zkynet.processor.model;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * The one name allocator of a generated operator class (Tangent's {@code naming.py}). It is seeded
 * with every identifier the user's method uses (parameters, locals, fields it reads, classes and
 * methods it names), and every name the generator introduces (fields for temporaries, adjoints, the
 * cotangent parameter, the batch-rank local, helper locals) comes from it, so generated code never
 * captures or shadows a user's name and no two generated names collide.
 */
public final class Namer {
  private final Set<String> taken = new LinkedHashSet<>();
  private final Map<String, Integer> counters = new HashMap<>();

  /** An allocator in which {@code userNames} are already taken. */
  public Namer(Collection<String> userNames) {
    taken.addAll(userNames);
  }

  /**
   * An allocator that has taken what this one has, and goes on independently: to derive something
   * a second time (a callee's gradient flow) without moving this class's names.
   */
  public Namer copy() {
    Namer copy = new Namer(taken);
    copy.counters.putAll(counters);
    return copy;
  }

  /** Whether {@code name} is a user's name or was handed out. */
  public boolean isTaken(String name) {
    return taken.contains(name);
  }

  /** {@code preferred} if it is free, otherwise {@code preferred2}, {@code preferred3}, ... */
  public String name(String preferred) {
    String name = preferred;
    for (int i = 2; !free(name); i++) {
      name = preferred + i;
    }
    taken.add(name);
    return name;
  }

  /** {@code hint1}, {@code hint2}, ...: the next free numbered name for {@code hint}. */
  public String numbered(String hint) {
    String base = hint.isEmpty() ? "v" : hint;
    String name;
    do {
      name = base + counters.merge(base, 1, Integer::sum);
    } while (!free(name));
    taken.add(name);
    return name;
  }

  /** The adjoint of value {@code value}: {@code gValue} when free. */
  public String adjoint(String value) {
    return name("g" + Character.toUpperCase(value.charAt(0)) + value.substring(1));
  }

  private boolean free(String name) {
    return !taken.contains(name) && SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name);
  }
}
