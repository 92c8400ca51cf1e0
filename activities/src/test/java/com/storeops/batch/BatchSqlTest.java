package com.storeops.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prints every batch statement whole, as PostgreSQL receives it: the preview's and the snapshot's
 * start with the shared filter ({@link BatchSql#MATCHED}), so this is where a reader sees them in one piece.
 */
class BatchSqlTest {

  @Test
  void everyStatementIsFixedTextWithNamedParametersOnly() throws IllegalAccessException {
    List<Field> statements = Arrays.stream(BatchSql.class.getDeclaredFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class).toList();

    for (Field field : statements) {
      String sql = (String) field.get(null);
      System.out.println("-- BatchSql." + field.getName() + "\n" + sql + "\n");
      assertThat(sql).as(field.getName()).doesNotContain("%s").doesNotContain("?");
    }
    assertThat(statements).hasSizeGreaterThan(10);
    assertThat(List.of(BatchSql.PREVIEW_COUNTS, BatchSql.PREVIEW_SAMPLE, BatchSql.SNAPSHOT_CHUNKS))
        .allSatisfy(sql -> assertThat(sql).startsWith(BatchSql.MATCHED));
  }
}
