package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.storeops.common.OperationType;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.Operations;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The file-wide checks, done by PostgreSQL over the keys the scan streams in. */
@SpringBootTest
class ImportConflictsTest {

  @Autowired ImportConflicts conflicts;
  @Autowired Operations operations;
  @Autowired JdbcClient jdbc;

  @Test
  void repeatsAreFoundWithTheLineOfTheRepeatAndTheFirstOccurrenceWins() {
    Map<Long, List<RowError>> found = check("""
        Handle,Title,Variant SKU
        ok,OK,OK-1
        twice,Twice,T-1
        twice,,T-1
        dup,Dup,OK-1
        split,Split,S-1
        other,Other,O-1
        split,,S-2
        "quo""te",Q,"Q,1"
        """);

    assertThat(found).containsOnlyKeys(3L, 5L, 8L);
    assertThat(found.get(3L)).containsExactly(new RowError(4, "Variant SKU", "T-1", "SKU repeated within this product"));
    assertThat(found.get(5L)).containsExactly(new RowError(5, "Variant SKU", "OK-1", "SKU also used by product ok"));
    assertThat(found.get(8L)).containsExactly(new RowError(8, "Handle", "split",
        "rows of this product also appear at line 6; a product's rows must be consecutive"));
  }

  @Test
  void aRetriedScanStartsCleanAndResetDropsEverything() {
    String csv = "Handle,Title,Variant SKU\na,A,X\nb,B,X\n";
    UUID id = operation();
    record(id, csv);
    record(id, csv); // the first attempt died after writing its keys

    conflicts.reset(id);
    record(id, csv);
    conflicts.resolve(id, "Variant SKU", "Handle");

    assertThat(conflicts.byProductLine(id)).containsOnlyKeys(3L);
    assertThat(conflicts.byProductLine(id).get(3L)).hasSize(1);
    conflicts.reset(id);
    assertThat(jdbc.sql("select count(*) from import_keys where operation_id = ?").param(id).query(Long.class).single()).isZero();
    assertThat(conflicts.byProductLine(id)).isEmpty();
  }

  private Map<Long, List<RowError>> check(String csv) {
    UUID id = operation();
    record(id, csv);
    conflicts.resolve(id, "Variant SKU", "Handle");
    return conflicts.byProductLine(id);
  }

  private void record(UUID id, String csv) {
    ShopifyCsvReader reader = new ShopifyCsvReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    List<ShopifyCsvReader.Keys> keys = new ArrayList<>();
    for (var k = reader.nextKeys(); k.isPresent(); k = reader.nextKeys()) {
      keys.add(k.get());
    }
    conflicts.record(id, keys);
  }

  private UUID operation() {
    return operations.create(OperationType.IMPORT, "conflicts", JsonDocument.EMPTY).id();
  }
}
