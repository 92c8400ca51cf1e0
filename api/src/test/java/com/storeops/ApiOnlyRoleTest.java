package com.storeops;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** STOREOPS_ROLES=api: the compose api container. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "storeops.worker.roles=api")
@ActiveProfiles("test")
class ApiOnlyRoleTest {

  @LocalServerPort int port;
  @Autowired WorkerFactory workers;

  @Test
  void servesOperationsButNeverPollsTaskQueues() {
    Http http = new Http(port);

    assertThat(workers.isStarted()).isFalse();
    assertThat(http.get("/api/operations").status()).isEqualTo(200);
  }
}
