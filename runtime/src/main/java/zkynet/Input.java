package zkynet;

/**
 * A module's input slot (a Variable in the seed's vocabulary): named after a parameter of the
 * module's forward method. It gets a value at each call.
 */
public final class Input {
  private final ModuleBase owner;
  private final String shortName;
  private final int index;

  Input(ModuleBase owner, String shortName, int index) {
    this.owner = owner;
    this.shortName = shortName;
    this.index = index;
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
