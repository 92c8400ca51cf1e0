package com.storeops.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Snapshots taken before the upgrade to one row per chunk: a batch running across the deploy goes
 * on with its unapplied products, and a finished one stays revertible with the values it kept.
 */
class BatchSnapshotMigrationTest {

  private static final String RUNNING = "00000000-0000-0000-0000-00000000000a";
  private static final String OTHER = "00000000-0000-0000-0000-00000000000b";

  @Test
  void productRowsBecomeChunksOfRunsInTheSameStateInProductOrder() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      DataSource db = postgres.getPostgresDatabase();
      Flyway.configure().dataSource(db).locations("classpath:db/migration").target("16").load().migrate();
      JdbcClient jdbc = JdbcClient.create(db);
      jdbc.sql("""
          insert into batch_update_products (operation_id, product_id, variant_ids, applied, reverted, prev_tags, prev_status,
                                             prev_prices, prev_compare_at_prices, prev_inventories) values
            (cast(:a as uuid), 1, '{12,11}', true, true, '{a,"b c"}', 'active', '{2.00,1.00}', '{3.00,null}', '{6,5}'),
            (cast(:a as uuid), 2, '{21}', true, false, '{}', 'draft', '{4.00}', '{null}', '{null}'),
            (cast(:a as uuid), 3, '{}', true, false, '{x}', 'draft', null, null, null),
            (cast(:a as uuid), 4, '{41,42}', false, false, null, null, null, null, null),
            (cast(:b as uuid), 7, '{71}', false, false, null, null, null, null, null)""")
          .param("a", RUNNING).param("b", OTHER).update();

      Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();

      List<String> chunks = jdbc.sql("""
          select operation_id || ' ' || chunk || ' ' || product_ids::text || ' ' || variant_ids::text || ' ' || applied
                 || ' ' || reverted || ' ' || coalesce(prev_tags::text, '-') || ' ' || coalesce(prev_statuses::text, '-')
                 || ' ' || coalesce(prev_prices::text, '-') || ' ' || coalesce(prev_compare_at_prices::text, '-')
                 || ' ' || coalesce(prev_inventories::text, '-')
          from batch_update_chunks order by operation_id, chunk""").query(String.class).list();

      assertThat(chunks).containsExactly(
          RUNNING + " 0 {1} {11,12} true true {\"{a,\\\"b c\\\"}\"} {active} {1.00,2.00} {NULL,3.00} {5,6}",
          RUNNING + " 1 {2,3} {21} true false {\"{}\",\"{x}\"} {draft,draft} {4.00} {NULL} {NULL}",
          RUNNING + " 2 {4} {41,42} false false - - - - -",
          OTHER + " 0 {7} {71} false false - - - - -");
      assertThat(jdbc.sql("select cast(prev_tags[1] as text[]) = '{a,\"b c\"}' from batch_update_chunks where chunk = 0"
          + " and operation_id = cast(? as uuid)").param(RUNNING).query(Boolean.class).single())
          .as("a product's tags come back from their text").isTrue();
    }
  }
}
