package zkynet;

/**
 * A module's input slot (a Variable in the seed's vocabulary): named after a parameter of the
 * module's forward method. It gets a value at each call.
 */
public final class Input {
  private final ModuleBase owner;
  private final String shortName;
  private final int index;
  private final boolean needsGrad;

  Input(ModuleBase owner, String shortName, int index, boolean needsGrad) {
    this.owner = owner;
    this.shortName = shortName;
    this.index = index;
    this.needsGrad = needsGrad;
  }

  /**
   * Whether a reverse sweep computes this input's gradient: true unless the forward method's
   * parameter is marked {@code @NoGrad} (a data batch, labels), in which case nothing is computed
   * for it and {@link ModuleGraph#grad(Input)} is an error.
   */
  public boolean needsGrad() {
    return needsGrad;
  }

  public ModuleBase owner() {
    return owner;
  }

  public String shortName() {
    return shortName;
  }

  /** Position among the forward method's parameters. */
  public int index() {
    return index;
  }

  /** The entity's name, e.g. {@code SimpleModel_2.x}. */
  public String name() {
    return owner.name() + "." + shortName;
  }

  /** The role's name, e.g. {@code SimpleModel.x}. */
  public String functionalName() {
    return owner.functionalName() + "." + shortName;
  }

  @Override
  public String toString() {
    return "Input " + name();
  }
}
