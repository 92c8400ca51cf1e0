package com.storeops.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The Flyway schema's constraints on a real PostgreSQL. */
@SpringBootTest
class SchemaTest {

  @Autowired JdbcClient jdbc;

  @Test
  void aSkuMayRepeatWithinAndAcrossProducts() {
    long a = product("handle-a-" + UUID.randomUUID());
    long b = product("handle-b-" + UUID.randomUUID());
    String sku = "SKU-" + UUID.randomUUID();
    variant(a, sku, "S");
    variant(a, sku, "M");
    variant(b, sku, null);

    assertThat(jdbc.sql("select count(*) from product_variants where sku = ?").param(sku).query(Long.class).single()).isEqualTo(3);
  }

  @Test
  void gramsKeepEveryDigitOfTheFileAndMustNotBeNegative() {
    long p = product("handle-" + UUID.randomUUID());
    jdbc.sql("insert into product_variants (product_id, grams) values (?, 226.796185)").param(p).update();

    assertThat(jdbc.sql("select grams::text from product_variants where product_id = ?").param(p).query(String.class).single())
        .isEqualTo("226.796185");
    assertThatThrownBy(() -> jdbc.sql("insert into product_variants (product_id, grams) values (?, -0.5)").param(p).update())
        .isInstanceOf(DataIntegrityViolationException.class);
  }

  @Test
  void negativePriceIsRefusedByTheSchema() {
    long p = product("handle-" + UUID.randomUUID());

    assertThatThrownBy(() -> jdbc.sql("insert into product_variants (product_id, price) values (?, -1)").param(p).update())
        .isInstanceOf(DataIntegrityViolationException.class);
  }

  private long product(String handle) {
    return jdbc.sql("insert into products (handle, title) values (?, 'T') returning id").param(handle).query(Long.class).single();
  }

  private void variant(long productId, String sku, String option1) {
    jdbc.sql("insert into product_variants (product_id, sku, option1, price) values (?, ?, ?, 9.99)")
        .param(productId).param(sku).param(option1).update();
  }
}
