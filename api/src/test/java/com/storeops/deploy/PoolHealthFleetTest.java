package com.storeops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** /api/health/pool shows the fleet: this process's lease among all, against max_connections − reserve. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class PoolHealthFleetTest {

  @LocalServerPort int port;

  @Test
  void poolHealthShowsThisProcessesLeaseAndTheRoomLeft() {
    JsonNode fleet = new Http(port).get("/api/health/pool").json().get("fleet");

    // The embedded PostgreSQL allows 100 connections; STOREOPS_FLEET_RESERVE defaults to 10.
    assertThat(fleet.get("maxConnections").asInt()).isEqualTo(100);
    assertThat(fleet.get("reserve").asInt()).isEqualTo(10);
    assertThat(fleet.get("room").asInt()).isEqualTo(90);
    assertThat(fleet.get("thisProcess").asInt()).isEqualTo(15);
    assertThat(fleet.get("leased").asInt()).isGreaterThanOrEqualTo(15);
    assertThat(fleet.get("members")).isNotEmpty();
  }
}
