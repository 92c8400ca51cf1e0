package com.storeops.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  private static DatabaseSettings settings(int size, int overflow, long recycleSeconds) {
    return new DatabaseSettings(
        "", false, size, overflow, Duration.ofSeconds(30), Duration.ofSeconds(recycleSeconds), Path.of("x"), 0,
        Duration.ofSeconds(300));
  }

  @Test
  void seedDefaultsGiveFifteenConnectionsAndKeepaliveBelowLifetime() {
    DatabaseSettings s = settings(5, 10, 600);

    assertThat(s.maximumPoolSize()).isEqualTo(15);
    assertThat(s.maxLifetime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.keepaliveTime()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void shortRecycleHalvesKeepaliveSoItStaysBelowLifetime() {
    assertThat(settings(5, 10, 90).keepaliveTime()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings(5, 10, 40).keepaliveTime()).isZero();
  }

  @Test
  void sqlalchemyNeverRecycleMapsToHikariInfiniteLifetime() {
    assertThat(settings(5, 10, -1).maxLifetime()).isZero();
  }

  @Test
  void recycleBelowHikariMinimumIsRejectedWithTheSettingName() {
    assertThatThrownBy(() -> settings(5, 10, 10)).hasMessageStartingWith("DB_POOL_RECYCLE: ");
  }

  @Test
  void emptyPoolIsRejected() {
    assertThatThrownBy(() -> settings(0, 0, 600)).hasMessageContaining("DB_POOL_SIZE + DB_MAX_OVERFLOW = 0");
  }
}
