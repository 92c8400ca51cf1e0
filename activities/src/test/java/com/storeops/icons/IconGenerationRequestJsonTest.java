package com.storeops.icons;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The request the API stores as an operation's parameters reads back the same in the activities. */
class IconGenerationRequestJsonTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void sizesAreWrittenByTheirNamesAndReadBack() {
    IconGenerationRequest request = new IconGenerationRequest(false, List.of(7L, 9L), List.of(IconSize.PICO, IconSize.MEDIUM), true);

    String json = JSON.writeValueAsString(request);

    assertThat(JSON.readTree(json).path("sizes").toString()).isEqualTo("[\"pico\",\"medium\"]");
    assertThat(JSON.readTree(json).propertyNames()).containsExactlyInAnyOrder("all", "productIds", "sizes", "force");
    assertThat(JSON.readValue(json, IconGenerationRequest.class)).isEqualTo(request);
  }

  @Test
  void aSizeAskedForTwiceIsRenderedOnce() {
    IconGenerationRequest request = JSON.readValue(
        "{\"all\": true, \"productIds\": [], \"sizes\": [\"icon\", \"pico\", \"icon\"], \"force\": false}", IconGenerationRequest.class);

    assertThat(request.sizes()).containsExactly(IconSize.ICON, IconSize.PICO);
    assertThat(request.productIds()).isEmpty();
    assertThat(request.force()).isFalse();
  }
}
