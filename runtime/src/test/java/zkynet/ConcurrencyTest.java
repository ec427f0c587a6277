package zkynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zkynet.BuiltinsOps.mult;
import static zkynet.BuiltinsOps.sub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zkynet.train.Optimizer;
import zkynet.train.Sgd;

/**
 * The concurrency contract: fresh modules shared by threads from their first call, optimizer steps
 * atomic for readers and never lost. Short runs here; {@code -Dzkynet.stress=true} runs the long
 * versions (the figures in the README's Reliability section).
 */
class ConcurrencyTest {
  static final boolean STRESS = Boolean.getBoolean("zkynet.stress");
  static final int THREADS = 8;
  private static ExecutorService pool;

  /** {@code x * a - x * b}, with a = b = 0 at the start. */
  @Module
  static class Twin extends Zk_ConcurrencyTest_Twin {
    final Parameter a;
    final Parameter b;

    Twin() {
      a = parameter(Tensor.of(0.0, DType.FLOAT64));
      b = parameter(Tensor.of(0.0, DType.FLOAT64));
    }

    Node call(Node x) {
      return sub(mult(x, a), mult(x, b));
    }
  }

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  private static final Tensor ONE = Tensor.of(1.0, DType.FLOAT64);

  @Test
  void threadsThatMakeTheFirstCallsOfAFreshModuleAllSeeItsOwnInputsAndParameters() throws Exception {
    int trials = STRESS ? 10_000 : 250;
    long calls = 0;
    long wrongLeaves = 0;
    for (int t = 0; t < trials; t++) {
      Twin m = new Twin();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<ModuleGraph>> graphs = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        graphs.add(pool.submit(() -> {
          start.await();
          return m.apply(ONE);
        }));
      }
      for (Future<ModuleGraph> f : graphs) {
        ModuleGraph g = f.get();
        calls++;
        for (Node n : g.nodes()) {
          if (n instanceof InputNode leaf && leaf.kind() != InputNode.Kind.CONSTANT) {
            Object own = leaf.kind() == InputNode.Kind.VARIABLE ? m.input(leaf.label())
                : m.param(leaf.label());
            if (leaf.slot() != own) {
              wrongLeaves++;
            }
          }
        }
        g.back();
        assertEquals(0.0, g.grad(m.input("x")).item()); // a - b at a = b = 0
        assertEquals(1.0, g.grad(m.param("a")).item());
      }
    }
    assertEquals((long) trials * THREADS, calls);
    assertEquals(0, wrongLeaves, "graph leaves that are not the module's own Input/Parameter objects");
    System.out.println("[ConcurrencyTest] fresh modules: " + trials + " trials x " + THREADS
        + " threads = " + calls + " first calls, " + wrongLeaves + " foreign leaves");
  }

  /**
   * Each step moves a down by 1 and b up by 1, so after k steps a call at x = 1 gives a - b = -2k:
   * an even number. A call that saw half a step would give an odd one.
   */
  @Test
  void stepsFromManyThreadsAreAllAppliedAndReadersNeverSeeHalfAStep() throws Exception {
    int stepsPerThread = STRESS ? 5_000 : 100;
    int stepping = THREADS / 2;
    Twin m = new Twin();
    Optimizer first = new Sgd(m, 1.0);
    Optimizer second = new Sgd(m, 1.0); // two optimizers on one module: serialised too
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    AtomicLong torn = new AtomicLong();
    // The steps begin once every reader has read once: on a busy machine the steppers could
    // otherwise finish before any reader was scheduled, and nothing would have raced.
    CountDownLatch readersRunning = new CountDownLatch(THREADS - stepping);
    List<Future<?>> steppers = new ArrayList<>();
    for (int i = 0; i < stepping; i++) {
      Optimizer opt = i % 2 == 0 ? first : second;
      steppers.add(pool.submit(() -> {
        assertTrue(readersRunning.await(60, TimeUnit.SECONDS), "the readers started");
        for (int s = 0; s < stepsPerThread; s++) {
          ModuleGraph g = m.apply(ONE);
          g.back();
          opt.step(g);
        }
        return null;
      }));
    }
    List<Future<?>> readers = new ArrayList<>();
    for (int i = stepping; i < THREADS; i++) {
      readers.add(pool.submit(() -> {
        boolean counted = false;
        while (!done.get()) {
          double v = m.apply(ONE).value().item();
          reads.incrementAndGet();
          if (!counted) {
            readersRunning.countDown();
            counted = true;
          }
          if (v % 2 != 0) {
            torn.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : steppers) {
      f.get();
    }
    done.set(true);
    for (Future<?> f : readers) {
      f.get();
    }
    long taken = (long) stepping * stepsPerThread;
    assertEquals(taken, first.steps() + second.steps(), "steps counted");
    assertEquals(-taken, m.param("a").value().item(), "a: steps applied");
    assertEquals(taken, m.param("b").value().item(), "b: steps applied");
    assertTrue(reads.get() > 0, "the readers ran");
    System.out.println("[ConcurrencyTest] steps: " + stepping + " threads x " + stepsPerThread
        + " steps (2 optimizers), " + (first.steps() + second.steps()) + " applied; "
        + (THREADS - stepping) + " reader threads made " + reads.get() + " calls, " + torn.get()
        + " saw half a step");
    assertEquals(0, torn.get(), "calls that saw half a step, of " + reads.get());
  }

  @Test
  void setRacingStepsIsSerialisedWithThem() throws Exception {
    Twin m = new Twin();
    Optimizer opt = new Sgd(m, 1.0);
    int n = STRESS ? 5_000 : 200;
    Future<?> stepper = pool.submit(() -> {
      for (int s = 0; s < n; s++) {
        ModuleGraph g = m.apply(ONE);
        g.back();
        opt.step(g);
      }
      return null;
    });
    Future<?> setter = pool.submit(() -> {
      for (int s = 0; s < n; s++) {
        Parameter.update(List.of(m.param("a"), m.param("b")),
            v -> new Tensor[] {v[0].sub(1.0), v[1].add(1.0)});
      }
      return null;
    });
    stepper.get();
    setter.get();
    assertEquals(-2.0 * n, m.param("a").value().item());
    assertEquals(2.0 * n, m.param("b").value().item());
  }
}
