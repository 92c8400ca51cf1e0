package com.storeops.api.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OWASP's CSV-injection rule: a cell a spreadsheet would evaluate starts with a single quote. */
class CsvCellsTest {

  @ParameterizedTest
  @ValueSource(strings = {"=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"})
  void aCellASpreadsheetWouldEvaluateBecomesText(String cell) {
    assertThat(CsvCells.text(cell)).isEqualTo("'" + cell);
  }

  @ParameterizedTest
  @ValueSource(strings = {"line 4", "Variant Price", "'=already text", "a=b", " =1", "12.50"})
  void anyOtherCellIsWrittenAsItIs(String cell) {
    assertThat(CsvCells.text(cell)).isEqualTo(cell);
  }

  @org.junit.jupiter.api.Test
  void nullAndEmptyStayAsTheyAre() {
    assertThat(CsvCells.text(null)).isNull();
    assertThat(CsvCells.text("")).isEmpty();
  }
}
