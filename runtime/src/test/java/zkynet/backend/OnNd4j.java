package zkynet.backend;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that runs a test class on the ND4J backend and restores the previous backend
 * afterwards: {@code @ExtendWith(OnNd4j.class)} on a subclass of a test written for the default
 * backend runs the same tests on ND4J.
 */
public final class OnNd4j implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(OnNd4j.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put("before", Backends.current().name());
    Backends.use("nd4j");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Backends.use(context.getStore(NS).get("before", String.class));
  }
}
