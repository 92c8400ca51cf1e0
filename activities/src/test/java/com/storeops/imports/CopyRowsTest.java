package com.storeops.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COPY's text format, which PostgreSQL parses back into exactly the values given. */
class CopyRowsTest {

  @Test
  void escapesBackslashTabNewlineAndCarriageReturnAnywhereInAValue() {
    CopyRows rows = new CopyRows(1);
    rows.text("\\start").text("a\tb\nc\rd\\e").text("end\n").text("plain").text("").text(null).endRow();

    assertThat(rows.rows()).isEqualTo("\\\\start\ta\\tb\\nc\\rd\\\\e\tend\\n\tplain\t\t\\N\n");
  }

  @Test
  void keepsTextOutsideLatin1AsItIs() {
    CopyRows rows = new CopyRows(1);
    rows.text("Ünïcödé ✓ 雪\tx").number(7L).endRow();

    assertThat(rows.rows()).isEqualTo("Ünïcödé ✓ 雪\\tx\t7\n");
  }

  /** An array element's quotes and backslashes are escaped for the array literal, then its backslashes for COPY. */
  @Test
  void writesNumbersBooleansAndArraysOfEachKind() {
    CopyRows rows = new CopyRows(2);
    rows.number(new BigDecimal("19.90")).number((Integer) null).bool(true).bool(null)
        .array(List.of("a \"b\"", "c\\d", "e\tf")).array(null).endRow();
    rows.array(Arrays.asList("x")).endRow();

    assertThat(rows.rows()).isEqualTo("19.90\t\\N\tt\t\\N\t{\"a \\\\\"b\\\\\"\",\"c\\\\\\\\d\",\"e\\tf\"}\t{}\n{\"x\"}\n");
  }
}
