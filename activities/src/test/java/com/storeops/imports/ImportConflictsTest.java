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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The file-wide checks, each found three ways that must agree: in the worker's memory, by PostgreSQL
 * over the keys the scan streams in, and by PostgreSQL going on from the keys held in memory when a
 * file is past the bound.
 */
@SpringBootTest
class ImportConflictsTest {

  @Autowired ImportConflicts conflicts;
  @Autowired Operations operations;
  @Autowired JdbcClient jdbc;

  /** Where the repeats are found. */
  enum Finder { IN_MEMORY, POSTGRESQL, PAST_THE_BOUND }

  @ParameterizedTest
  @EnumSource(Finder.class)
  void aSplitProductIsRefusedWithTheLineOfTheRepeatAndARepeatedSkuIsOneWarning(Finder finder) {
    Map<Long, ImportConflicts.Found> found = check(finder, """
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

    assertThat(found).containsOnlyKeys(2L, 3L, 8L);
    assertThat(found.get(2L).refusals()).as("a SKU across products refuses nothing").isEmpty();
    assertThat(found.get(2L).warnings()).containsExactly(new RowError(2, "Variant SKU", "OK-1",
        "warning: SKU also on line 5; kept, as Shopify allows a SKU on several variants"));
    assertThat(found.get(3L).refusals()).as("nor does a SKU twice in one product").isEmpty();
    assertThat(found.get(3L).warnings()).containsExactly(new RowError(3, "Variant SKU", "T-1",
        "warning: SKU also on line 4; kept, as Shopify allows a SKU on several variants"));
    assertThat(found.get(8L).refusals()).containsExactly(new RowError(8, "Handle", "split",
        "rows of this product also appear at line 6; a product's rows must be consecutive"));
    assertThat(found.get(8L).warnings()).isEmpty();
  }

  @Test
  void eachScanAttemptsKeysStayApartAndResetDropsEverything() {
    String csv = "Handle,Title,Variant SKU\na,A,X\nb,B,X\n";
    UUID id = operation();
    record(id, 1, csv);
    record(id, 1, csv); // attempt 1, which Temporal gave up on, still writing its keys (twice over)

    conflicts.forget(id, 2);
    record(id, 2, csv);
    conflicts.resolve(id, 2, "Variant SKU", "Handle");

    assertThat(conflicts.byProductLine(id)).containsOnlyKeys(2L);
    assertThat(conflicts.byProductLine(id).get(2L).warnings()).as("one warning, however often the scan ran").hasSize(1);
    conflicts.reset(id);
    assertThat(jdbc.sql("select count(*) from import_keys where operation_id = ?").param(id).query(Long.class).single()).isZero();
    assertThat(conflicts.byProductLine(id)).isEmpty();
  }

  @Test
  void aChunkReadsOnlyTheFindingsOfItsOwnProducts() {
    UUID id = operation();
    record(id, 1, "Handle,Title,Variant SKU\na,A,X\nb,B,Y\nc,C,X\nd,D,Y\nb,B2,Z\n");
    conflicts.resolve(id, 1, "Variant SKU", "Handle");

    assertThat(conflicts.byProductLine(id, 2, 4L)).containsOnlyKeys(2L, 3L);
    assertThat(conflicts.byProductLine(id, 4, null)).containsOnlyKeys(6L);
    assertThat(conflicts.byProductLine(id)).containsOnlyKeys(2L, 3L, 6L);
  }

  @ParameterizedTest
  @EnumSource(Finder.class)
  void aSkuOnManyVariantsIsOneWarningListingTenLinesAndTheRest(Finder finder) {
    StringBuilder csv = new StringBuilder("Handle,Title,Option1 Name,Option1 Value,Variant SKU\n");
    for (int i = 0; i < 13; i++) {
      csv.append("ship,").append(i == 0 ? "Shipping protection" : "").append(',').append(i == 0 ? "Tier" : "")
          .append(',').append(i).append(",PROTECT\n");
    }

    Map<Long, ImportConflicts.Found> found = check(finder, csv.toString());

    assertThat(found.get(2L).warnings()).singleElement().extracting(RowError::message).isEqualTo(
        "warning: SKU also on lines 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 2 more; kept, as Shopify allows a SKU on several variants");
  }

  @Test
  void theThreeFindersWriteTheSameConflictRows() {
    String csv = """
        Handle,Title,Variant SKU
        a,A,MANY
        a,,MANY
        b,B,MANY
        a,A again,A-1
        c,C,C-1
        c,,C-1
        a,A third,MANY
        "nul\u0000h",N,N-1
        d,D,"S\u0000"
        "nul\u0000h",N2,"S\u0000"
        e,E,MANY
        e,,MANY
        e,,MANY
        f,F,MANY
        g,G,MANY
        h,H,MANY
        i,I,MANY
        j,J,MANY
        k,K,"Q,""1"
        l,L,"Q,""1"
        ,orphan,C-1
        m,M,é-1
        n,N,é-1
        o,O,m
        """;

    List<String> inMemory = rows(csv, Finder.IN_MEMORY);

    assertThat(inMemory).as("two repeats of a, and C-1, MANY, Q,\"1 and é-1").hasSize(6);
    assertThat(inMemory).anySatisfy(r -> assertThat(r).contains("SKU also on lines 3, 4, 8, 12, 13, 14, 15, 16, 17, 18 and 1 more"));
    assertThat(rows(csv, Finder.POSTGRESQL)).isEqualTo(inMemory);
    assertThat(rows(csv, Finder.PAST_THE_BOUND)).isEqualTo(inMemory);
  }

  @Test
  void moreConflictsThanOneStatementWritesAreAllWritten() {
    StringBuilder csv = new StringBuilder("Handle,Title,Variant SKU\n");
    for (int i = 0; i < ImportConflicts.WRITE_ROWS; i++) {
      csv.append('p').append(i).append(",P,S-").append(i).append('\n').append('p').append(i).append(",,S-").append(i).append('\n');
    }
    for (int i = 0; i < 100; i++) {
      csv.append('p').append(i).append(",P again,\n");
    }

    List<String> inMemory = rows(csv.toString(), Finder.IN_MEMORY);

    assertThat(inMemory).hasSize(ImportConflicts.WRITE_ROWS + 100);
    assertThat(rows(csv.toString(), Finder.POSTGRESQL)).isEqualTo(inMemory);
  }

  private List<String> rows(String csv, Finder finder) {
    UUID id = operation();
    find(finder, id, csv);
    return jdbc.sql("""
            select product_line || '|' || line || '|' || field || '|' || value || '|' || message || '|' || warning
            from import_conflicts where operation_id = ? order by line, field, value""")
        .param(id).query(String.class).list();
  }

  private Map<Long, ImportConflicts.Found> check(Finder finder, String csv) {
    UUID id = operation();
    find(finder, id, csv);
    return conflicts.byProductLine(id);
  }

  /** What the scan does on each path; past the bound, it hands over after the first few keys. */
  private void find(Finder finder, UUID id, String csv) {
    List<ShopifyCsvReader.Keys> keys = keys(csv);
    KeyRepeats held = new KeyRepeats(finder == Finder.PAST_THE_BOUND ? 5 : finder == Finder.IN_MEMORY ? 300_000 : 0);
    List<ShopifyCsvReader.Keys> staged = new ArrayList<>();
    for (ShopifyCsvReader.Keys k : keys) {
      if (held != null && !held.add(k)) {
        conflicts.stage(id, 1, held, () -> {});
        held = null;
      }
      if (held == null) {
        staged.add(k);
      }
    }
    assertThat(held == null).as("PostgreSQL finds them").isEqualTo(finder != Finder.IN_MEMORY);
    conflicts.record(id, 1, staged);
    if (held != null) {
      conflicts.write(id, held, "Variant SKU", "Handle");
    } else {
      conflicts.resolve(id, 1, "Variant SKU", "Handle");
    }
  }

  private static List<ShopifyCsvReader.Keys> keys(String csv) {
    ShopifyCsvReader reader = new ShopifyCsvReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    List<ShopifyCsvReader.Keys> keys = new ArrayList<>();
    for (var k = reader.nextKeys(); k.isPresent(); k = reader.nextKeys()) {
      keys.add(k.get());
    }
    return keys;
  }

  private void record(UUID id, int attempt, String csv) {
    conflicts.record(id, attempt, keys(csv));
  }

  private UUID operation() {
    return operations.create(OperationType.IMPORT, "conflicts", JsonDocument.EMPTY).id();
  }
}
