package com.storeops.imports;

import com.storeops.Http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/** Cancelling an import stops it at a chunk boundary; what was committed stays, consistently counted. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "storeops.import.chunk-products=1")
@ActiveProfiles("test")
class ImportCancelTest {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  @Test
  void cancelStopsAtAChunkBoundaryAndKeepsCommittedChunks() throws Exception {
    Http http = new Http(port);
    String p = "c" + UUID.randomUUID().toString().substring(0, 8);
    StringBuilder csv = new StringBuilder("Handle,Title,Variant SKU,Variant Price\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(p).append('-').append(i).append(",T,").append(p).append("-s").append(i).append(",1.00\n");
    }
    String id = http.upload("/api/operations/import", "file", "big.csv", csv.toString().getBytes(StandardCharsets.UTF_8))
        .json().get("id").asString();
    http.awaitOperation(id, op -> op.at("/progress/done").asLong() > 0);

    Http.Response cancel = http.post("/api/operations/" + id + "/cancel", "");
    JsonNode done = http.awaitOperation(id, op -> op.get("status").asString().equals("CANCELED"));

    assertThat(cancel.status()).isEqualTo(202);
    long committed = done.at("/progress/done").asLong();
    assertThat(committed).isLessThan(20_000);
    assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(committed);
    assertThat(jdbc.sql("select count(*) from products where handle like ?").param(p + "-%").query(Long.class).single())
        .as("exactly the committed chunks stay").isEqualTo(committed);
    assertThat(http.post("/api/operations/" + id + "/cancel", "").status()).as("cancelling again").isEqualTo(409);
  }
}
