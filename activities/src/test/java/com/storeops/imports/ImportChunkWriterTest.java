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

    writer.commit(id, 0, products(csv), true);

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

  /**
   * A chunk written on the guess that its products are new to the shop (no look-up by handle) meets
   * one that is stored: the chunk is written again, looking products up, so the stored one is
   * updated and the new one created — nothing refused, nothing written twice — and the writer
   * says later chunks should look up.
   */
  @Test
  void aChunkGuessedNewThatMeetsAStoredProductIsWrittenAgainAsAnUpdate() {
    String p = "g" + UUID.randomUUID().toString().substring(0, 8);
    String header = "Handle,Title,Variant SKU,Variant Price\n";
    UUID first = importOperation(p + "-first.csv");
    assertThat(writer.commit(first, 0, products(header + p + "-stored,Old title," + p + "-s,5.00\n"), false)).isFalse();

    UUID second = importOperation(p + "-second.csv");
    boolean lookUpLater = writer.commit(second, 0, products(header
        + p + "-new,New," + p + "-n,7.00\n"
        + p + "-stored,New title," + p + "-s,6.00\n"), false);

    assertThat(lookUpLater).isTrue();
    assertThat(jdbc.sql("select handle || '|' || title from products where handle like ? order by handle").param(p + "%")
        .query(String.class).list()).containsExactly(p + "-new|New", p + "-stored|New title");
    assertThat(jdbc.sql("select sku || '|' || price from product_variants where sku like ? order by sku").param(p + "%")
        .query(String.class).list()).containsExactly(p + "-n|7.00", p + "-s|6.00");
    assertThat(jdbc.sql("select count(*) from operation_errors where operation_id = ?").param(second).query(Long.class).single()).isZero();
    Operation op = operations.find(second).orElseThrow();
    assertThat(List.of(op.itemsDone(), op.succeededCount(), op.failedCount())).containsExactly(2L, 2L, 0L);
  }

  /** A product without a title can only be an update: its chunk looks up stored products even on the guess. */
  @Test
  void aStoredProductWithABlankTitleKeepsItsTitleWhenTheChunkWasGuessedNew() {
    String p = "b" + UUID.randomUUID().toString().substring(0, 8);
    String header = "Handle,Title,Vendor\n";
    writer.commit(importOperation(p + "-first.csv"), 0, products(header + p + ",Kept,Acme\n"), false);

    UUID second = importOperation(p + "-second.csv");
    writer.commit(second, 0, products(header + p + ",,Other\n"), false);

    assertThat(jdbc.sql("select title || '|' || vendor from products where handle = ?").param(p).query(String.class).single())
        .isEqualTo("Kept|Other");
    assertThat(jdbc.sql("select count(*) from operation_errors where operation_id = ?").param(second).query(Long.class).single()).isZero();
  }

  private UUID importOperation(String name) {
    UUID id = operations.create(OperationType.IMPORT, name, JsonDocument.EMPTY).id();
    plan.write(id, List.of(new ImportChunkPlan.Start(0, 2)));
    return id;
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
