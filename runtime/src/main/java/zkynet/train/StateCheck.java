package zkynet.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zkynet.DType;
import zkynet.Parameter;
import zkynet.Tensor;

/** Checks saved optimizer state against an optimizer: every problem, each naming its entry. */
final class StateCheck {
  private final Optimizer optimizer;
  private final Map<String, Tensor> state;
  private final String prefix;
  private final List<String> problems = new ArrayList<>();

  StateCheck(Optimizer optimizer, Map<String, Tensor> state) {
    this.optimizer = optimizer;
    this.state = state;
    this.prefix = optimizer.type() + "/";
  }

  List<String> problems() {
    if (state.isEmpty()) {
      problems.add(optimizer.type() + ": there is no optimizer state (the checkpoint holds"
          + " parameters only); load them without the optimizer and start it fresh");
      return problems;
    }
    Set<String> others = new LinkedHashSet<>();
    for (String name : state.keySet()) {
      if (!name.startsWith(prefix)) {
        String other = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        if (others.add(other)) {
          problems.add(other + ": the file holds the state of optimizer type " + other
              + ", this optimizer is " + optimizer.type());
        }
      } else {
        checkEntry(name, name.substring(prefix.length()));
      }
    }
    if (problems.isEmpty()) {
      required("steps");
      required("lr");
      optimizer.hyperparameters().keySet().forEach(h -> required("hyper/" + h));
    }
    return problems;
  }

  private void required(String rest) {
    if (!state.containsKey(prefix + rest)) {
      problems.add(prefix + rest + ": missing");
    }
  }

  private void checkEntry(String name, String rest) {
    Tensor t = state.get(name);
    if (rest.equals("steps")) {
      count(name, t, 0);
    } else if (rest.equals("lr")) {
      if (scalar(name, t) && !(t.item() >= 0 && Double.isFinite(t.item()))) {
        problems.add(name + ": the learning rate " + t.item() + " is not zero or positive and finite");
      }
    } else if (rest.startsWith("hyper/")) {
      hyper(name, rest.substring("hyper/".length()), t);
    } else {
      int slash = rest.indexOf('/');
      String kind = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash + 1);
      Parameter p = optimizer.namedParameters().get(path);
      if (!optimizer.buffers().containsKey(kind) && !optimizer.counters().containsKey(kind)) {
        problems.add(name + ": unexpected entry; " + optimizer.type() + " keeps "
            + optimizer.buffers().keySet() + " and counters " + optimizer.counters().keySet());
      } else if (p == null) {
        problems.add(name + ": no parameter '" + path + "' in this optimizer; its parameters are "
            + optimizer.namedParameters().keySet());
      } else if (optimizer.counters().containsKey(kind)) {
        count(name, t, 1);
      } else {
        Tensor want = p.value();
        if (t.dtype() != want.dtype() || !Arrays.equals(t.shape(), want.shape())) {
          problems.add(name + ": " + describe(t) + " in the file, the parameter is " + describe(want));
        }
      }
    }
  }

  private void hyper(String name, String h, Tensor t) {
    Double want = optimizer.hyperparameters().get(h);
    if (want == null) {
      problems.add(name + ": " + optimizer.type() + " has no hyperparameter '" + h + "'; it has "
          + optimizer.hyperparameters().keySet());
    } else if (scalar(name, t) && Double.compare(t.item(), want) != 0) {
      problems.add(name + ": " + h + " is " + t.item() + " in the file, " + want
          + " in this optimizer");
    }
  }

  private void count(String name, Tensor t, long min) {
    if (scalar(name, t)) {
      double v = t.item();
      if (!(v >= min && v <= 0x1p53 && v == Math.rint(v))) {
        problems.add(name + ": " + v + " is not a count (an integer of at least " + min + ")");
      }
    }
  }

  private boolean scalar(String name, Tensor t) {
    if (t.dtype() != DType.FLOAT64 || t.shape().length != 0) {
      problems.add(name + ": expected a float64 scalar, got " + describe(t));
      return false;
    }
    return true;
  }

  private static String describe(Tensor t) {
    return t.dtype().name().toLowerCase() + " " + Arrays.toString(t.shape());
  }
}
