package com.storeops.api.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.storeops.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

/** STOREOPS_TRAINING_PRODUCTS as a user may set it: every deployment reads it, so a slip must serve or be named. */
class TrainingRunTest {

  @Test
  void blankOrZeroServes() {
    assertThat(TrainingRun.products(null)).isZero();
    assertThat(TrainingRun.products("")).isZero();
    assertThat(TrainingRun.products("  ")).isZero();
    assertThat(TrainingRun.products("0")).isZero();
  }

  @Test
  void aWholeNumberTrainsOnThatManyProducts() {
    assertThat(TrainingRun.products("20000")).isEqualTo(20_000);
    assertThat(TrainingRun.products(" 300 ")).isEqualTo(300);
  }

  @Test
  void anythingElseStopsStartupNamingTheSetting() {
    for (String value : new String[] {"-1", "many", "2e4", "99999999999"}) {
      assertThatThrownBy(() -> TrainingRun.products(value)).as(value)
          .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
            assertThat(e.setting()).isEqualTo("STOREOPS_TRAINING_PRODUCTS");
            assertThat(e.problem()).contains("was '" + value + "'");
          });
    }
  }
}
