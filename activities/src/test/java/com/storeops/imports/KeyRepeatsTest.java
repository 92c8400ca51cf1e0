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

  private static ShopifyCsvReader.Keys product(String handle, long line, String... skus) {
    List<ShopifyCsvReader.SkuAt> at = new ArrayList<>();
    for (int i = 0; i < skus.length; i++) {
      at.add(new ShopifyCsvReader.SkuAt(skus[i], line + i));
    }
    return new ShopifyCsvReader.Keys(handle, line, 0, at);
  }
}
