package com.storeops.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PartStreamTest {

  private final List<byte[]> parts = List.of(bytes("ab"), bytes(""), bytes("cde"));
  private final List<Integer> fetched = new ArrayList<>();

  @Test
  void readsThePartsInOrderAsOneStreamFetchingEachOnce() throws IOException {
    PartStream stream = new PartStream(n -> {
      fetched.add(n);
      return n < parts.size() ? Optional.of(parts.get(n)) : Optional.empty();
    });

    assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abcde");
    assertThat(stream.read()).as("stays at its end").isEqualTo(-1);
    assertThat(fetched).as("each part once, then one miss").containsExactly(0, 1, 2, 3);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
