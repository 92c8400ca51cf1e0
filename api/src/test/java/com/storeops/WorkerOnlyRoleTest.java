package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** STOREOPS_ROLES=worker: the compose worker container. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "storeops.worker.roles=worker")
@ActiveProfiles("test")
class WorkerOnlyRoleTest {

  @LocalServerPort int port;
  @Autowired WorkerFactory workers;

  @Test
  void pollsAndGivesTheWholePoolToActivitiesButTakesNoOperationRequests() {
    Http http = new Http(port);

    assertThat(workers.isStarted()).isTrue();
    assertThat(http.get("/api/health/pool").json().at("/budget/apiReserve").asInt()).isEqualTo(1);
    assertThat(http.get("/api/health/pool").json().at("/budget/activities").asInt()).isEqualTo(14);
    assertThat(http.get("/api/operations").status()).isEqualTo(404);
    assertThat(http.get("/actuator/health").status()).isEqualTo(200);
  }
}
