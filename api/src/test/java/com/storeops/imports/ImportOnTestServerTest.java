package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.Http;
import com.storeops.temporal.TemporalServer;
import com.storeops.temporal.TemporalServerKind;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * The fallback of a machine with only a JDK: with the CLI out of use, storeops starts on Temporal's
 * in-process test server and an import runs to COMPLETED — its workflow started without search
 * attributes, which that server would refuse, and its operation without a Web UI link.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "storeops.temporal.cli=none")
@ActiveProfiles("test")
class ImportOnTestServerTest {

  @LocalServerPort int port;
  @Autowired TemporalServer temporal;

  @Test
  void anImportCompletesOnTheTestServer() {
    assertThat(temporal.kind()).isEqualTo(TemporalServerKind.TEST_SERVER);
    Http http = new Http(port);
    String p = "jdk" + UUID.randomUUID().toString().substring(0, 8);
    String csv = "Handle,Title,Vendor,Variant SKU,Variant Price\n" + p + "-a,A,Acme," + p + "-A1,10.00\n";

    Http.Response started = http.upload("/api/operations/import", "file", p + ".csv", csv.getBytes(StandardCharsets.UTF_8));
    assertThat(started.status()).isEqualTo(202);
    JsonNode done = http.awaitEnded(started.json().get("id").asString());

    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.at("/counts/succeeded").asLong()).isEqualTo(1);
    assertThat(done.get("temporalUiUrl").isNull()).as("no Web UI to link to").isTrue();
  }
}
