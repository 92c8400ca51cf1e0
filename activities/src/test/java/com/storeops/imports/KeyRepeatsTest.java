package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the scan holds in memory: bounded, and a product is held whole or not at all. */
class KeyRepeatsTest {

  @Test
  void theDefaultBoundHoldsItsKeysInAtMost16MegabytesOfHeap() {
    KeyRepeats held = new KeyRepeats(300_000);
    long line = 2;
    int products = 0;
    // Handles and SKUs of 24 bytes each, the average the bound allows: its worst case for memory.
    while (held.add(product("handle-%017d".formatted(products), line, "sku-%018d-1".formatted(products), "sku-%018d-2".formatted(products)))) {
      products++;
      line += 2;
    }

    long keys = 3L * products;
    assertThat(keys).as("it stops at the bound").isBetween(300_000L - 3, 300_000L);
    assertThat(held.bytes()).as("heap at the default bound").isLessThanOrEqualTo(16L << 20);
    System.out.printf("KeyRepeats: %d keys of 24 bytes in %d bytes of arrays, %.1f bytes per key%n",
        keys, held.bytes(), (double) held.bytes() / keys);
  }

  @Test
  void longHandlesSharingOneSkuStayUnder16MegabytesToo() {
    KeyRepeats held = new KeyRepeats(300_000);
    int products = 0;
    // Distinct keys of twice the average beside a repeat each: both sets of arrays grow.
    while (held.add(product("a-long-handle-of-forty-six-bytes-%015d".formatted(products), 2L + products, "S"))) {
      products++;
    }

    assertThat(2L * products).isGreaterThan(250_000);
    assertThat(held.bytes()).isLessThanOrEqualTo(16L << 20);
  }

  @Test
  void aProductThatDoesNotFitIsHeldNotAtAll() {
    KeyRepeats held = new KeyRepeats(4);
    assertThat(held.add(product("a", 2, "A-1", "A-2"))).isTrue();
    assertThat(held.add(product("b", 4, "B-1", "B-2"))).as("3 + 3 keys, past 4").isFalse();

    List<String> keys = new ArrayList<>();
    held.forEach((kind, key, productLine, line) -> keys.add(kind + " " + key + " " + productLine + " " + line));
    assertThat(keys).containsExactlyInAnyOrder("handle a 2 2", "sku A-1 2 2", "sku A-2 2 3");
  }

  @Test
  void keysPastTheirAverageBytesAreHandedOnToo() {
    KeyRepeats held = new KeyRepeats(2);
    assertThat(held.add(product("x".repeat(2 * KeyRepeats.BYTES_PER_KEY + 1), 2))).isFalse();
    assertThat(held.isEmpty()).isTrue();
  }

  @Test
  void keysBuiltToCollideInAPlainStringHashStillFindTheirPlaceQuickly() {
    // "Aa", "BB" and "C#" have one String-style hash, so 3^10 handles of ten such pairs all would.
    KeyRepeats held = new KeyRepeats(300_000);
    String[] pairs = {"Aa", "BB", "C#"};
    int products = 59_049;
    for (int p = 0; p < products; p++) {
      StringBuilder handle = new StringBuilder();
      for (int i = 0, n = p; i < 10; i++, n /= 3) {
        handle.append(pairs[n % 3]);
      }
      assertThat(held.add(product(handle.toString(), 2L + p))).isTrue();
    }

    assertThat(held.probesPerKey()).as("slots looked at beyond a key's own, per key").isLessThan(4);
  }

  @Test
  void aTableGrownCrowdedTakesNoFurtherProduct() {
    KeyRepeats held = new KeyRepeats(300_000, 0); // after 64 keys, any key that misses its own slot makes it crowded
    int products = 0;
    while (held.add(product("p-" + products, 2L + products))) {
      products++;
    }

    assertThat(products).as("it grows crowded long before the bound").isLessThan(1_000);
    assertThat(held.probesPerKey()).isPositive();
    List<String> keys = new ArrayList<>();
    held.forEach((kind, key, productLine, line) -> keys.add(key));
    assertThat(keys).as("the product that crowded it is held whole, the next one not at all").hasSize(products);
  }

  private static ShopifyCsvReader.Keys product(String handle, long line, String... skus) {
    List<ShopifyCsvReader.SkuAt> at = new ArrayList<>();
    for (int i = 0; i < skus.length; i++) {
      at.add(new ShopifyCsvReader.SkuAt(skus[i], line + i));
    }
    return new ShopifyCsvReader.Keys(handle, line, 0, at);
  }
}
