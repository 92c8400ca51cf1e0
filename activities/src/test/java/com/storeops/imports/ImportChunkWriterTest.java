package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.Operations;
import java.io.StringReader;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A chunk's transaction, when the database refuses a value of one of its products. */
@SpringBootTest
class ImportChunkWriterTest {

  @Autowired ImportChunkWriter writer;
  @Autowired ImportChunkPlan plan;
  @Autowired Operations operations;
  @Autowired JdbcClient jdbc;

  /**
   * A handle or an image URL too long for its index (PostgreSQL's B-tree rows end at 2 704 bytes)
   * passes every check of the reader. The database refuses it on every attempt, so it is that
   * product's error with its line; the chunk's other products commit, and the chunk counts once.
   */
  @Test
  void aProductTheDatabaseRefusesIsItsOwnErrorAndTheRestOfTheChunkCommits() {
    String p = "w" + UUID.randomUUID().toString().substring(0, 8);
    String longHandle = p + "-" + incompressible(6_000);
    String csv = "Handle,Title,Image Src\n"
        + longHandle + ",Long handle,\n"                                       // 2
        + p + "-ok,Fine,https://cdn/ok.png\n"                                  // 3
        + p + "-img,Long image,https://cdn/" + incompressible(6_000) + "\n";   // 4
    UUID id = operations.create(OperationType.IMPORT, p + ".csv", JsonDocument.EMPTY).id();
    plan.write(id, List.of(new ImportChunkPlan.Start(0, 2)));

    writer.commit(id, 0, products(csv));

    assertThat(jdbc.sql("select handle from products where handle like ?").param(p + "%").query(String.class).list())
        .containsExactly(p + "-ok");
    assertThat(jdbc.sql("select message from operation_errors where operation_id = ? order by id").param(id).query(String.class).list())
        .hasSize(2).allSatisfy(m -> assertThat(m).contains("refused by the database"));
    assertThat(jdbc.sql("select location from operation_errors where operation_id = ? order by id").param(id).query(String.class).list())
        .containsExactly("line 2", "line 4");
    Operation op = operations.find(id).orElseThrow();
    assertThat(List.of(op.itemsDone(), op.succeededCount(), op.failedCount())).containsExactly(3L, 1L, 2L);
    assertThat(plan.chunks(id).get(0).committed()).isTrue();
  }

  private static List<ShopifyCsvReader.Result> products(String csv) {
    ShopifyCsvReader reader = new ShopifyCsvReader(new StringReader(csv));
    List<ShopifyCsvReader.Result> products = new ArrayList<>();
    for (Optional<ShopifyCsvReader.Result> r = reader.next(); r.isPresent(); r = reader.next()) {
      products.add(r.get());
    }
    return products;
  }

  /** Random characters, so that PostgreSQL cannot compress the index row under its limit. */
  private static String incompressible(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
  }
}
