package zkynet.backend.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The pool's table of stacks by length, and the pool under threads. */
class ArrayPoolTest {
  @Test
  void eachLengthIsAStackTheLastGivenTakenFirst() {
    ArrayPool.Shelves s = new ArrayPool.Shelves();
    assertNull(s.pop(5000), "nothing held yet");
    Object a = new float[5000];
    Object b = new float[5000];
    Object c = new float[7000];
    s.push(5000, a);
    s.push(5000, b);
    s.push(7000, c);
    assertEquals(2, s.count(5000));
    assertSame(b, s.pop(5000));
    assertSame(a, s.pop(5000));
    assertNull(s.pop(5000), "an emptied stack");
    assertSame(c, s.pop(7000));
    assertNull(s.pop(6000), "a length never given");
    s.push(5000, a);
    s.clear();
    assertNull(s.pop(5000), "cleared");
    assertEquals(0, s.count(5000));
  }

  /**
   * Thousands of lengths, with many that share their low bits (multiples of 2^16) so that they
   * collide in the table, and stacks that grow past their first capacity: every array comes back
   * from its own length, in reverse order of giving.
   */
  @Test
  void manyLengthsThatCollideKeepTheirOwnStacks() {
    ArrayPool.Shelves s = new ArrayPool.Shelves();
    List<Integer> lengths = new ArrayList<>();
    for (int i = 1; i <= 1500; i++) {
      lengths.add(ArrayPool.MIN_LENGTH + i);
      lengths.add(i << 16);
    }
    Collections.shuffle(lengths, new java.util.Random(7));
    for (int round = 0; round < 9; round++) {
      for (int length : lengths) {
        s.push(length, new int[] {length, round}); // a token naming its length and round
      }
    }
    for (int length : lengths) {
      assertEquals(9, s.count(length));
      for (int round = 8; round >= 0; round--) {
        int[] token = (int[]) s.pop(length);
        assertEquals(length, token[0], "length");
        assertEquals(round, token[1], "the last given first");
      }
      assertNull(s.pop(length));
    }
  }

  /** Threads taking and giving the same lengths at once: no array is ever handed to two of them. */
  @Test
  void anArrayIsNeverHandedOutTwice() throws Exception {
    int[] lengths = {ArrayPool.MIN_LENGTH + 11, ArrayPool.MIN_LENGTH + 13, 3 * ArrayPool.MIN_LENGTH + 1};
    Set<Object> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          int done = 0;
          for (int i = 0; i < 5_000; i++) {
            int length = lengths[(i + seed) % lengths.length];
            boolean f = (i & 1) == 0;
            Object a = f ? ArrayPool.floats(length, false) : ArrayPool.doubles(length, true);
            assertTrue(held.add(a), "handed out while another thread held it");
            if (!f) {
              for (double v : (double[]) a) {
                assertEquals(0, v, "a zeroed array");
              }
            }
            held.remove(a);
            if (f) {
              ArrayPool.give((float[]) a);
            } else {
              ArrayPool.give((double[]) a);
            }
            done++;
          }
          return done;
        }));
      }
      for (Future<Integer> r : results) {
        assertEquals(5_000, r.get());
      }
    } finally {
      pool.shutdownNow();
    }
    float[] a = ArrayPool.floats(lengths[0], false);
    float[] b = ArrayPool.floats(lengths[0], false);
    assertNotSame(a, b);
    assertEquals(lengths[0], a.length);
  }
}
