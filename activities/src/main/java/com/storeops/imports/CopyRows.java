package com.storeops.imports;

import java.math.BigDecimal;
import java.util.List;

/**
 * Rows in PostgreSQL's COPY text format: tab between values, newline after each row, {@code \N}
 * for null, and backslash, tab, newline and carriage return escaped inside a value — so any text
 * of the file (HTML bodies with newlines, tabs, quotes) arrives verbatim.
 */
final class CopyRows {

  private final StringBuilder text;
  private boolean rowStarted;

  CopyRows(int expectedRows) {
    text = new StringBuilder(Math.max(1024, expectedRows * 256));
  }

  CopyRows text(String value) {
    separator();
    if (value == null) {
      text.append("\\N");
    } else {
      escaped(value);
    }
    return this;
  }

  CopyRows number(long value) {
    separator();
    text.append(value);
    return this;
  }

  CopyRows number(Integer value) {
    separator();
    text.append(value == null ? "\\N" : value.toString());
    return this;
  }

  CopyRows number(BigDecimal value) {
    separator();
    text.append(value == null ? "\\N" : value.toPlainString());
    return this;
  }

  CopyRows bool(Boolean value) {
    separator();
    text.append(value == null ? "\\N" : value ? "t" : "f");
    return this;
  }

  /** A {@code text[]} literal, {@code {}} for null or empty: each element quoted, its quotes and backslashes escaped. */
  CopyRows array(List<String> values) {
    separator();
    if (values == null || values.isEmpty()) {
      text.append("{}");
      return this;
    }
    StringBuilder literal = new StringBuilder();
    literal.append('{');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        literal.append(',');
      }
      literal.append('"');
      String v = values.get(i);
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        if (c == '"' || c == '\\') {
          literal.append('\\');
        }
        literal.append(c);
      }
      literal.append('"');
    }
    escaped(literal.append('}'));
    return this;
  }

  void endRow() {
    text.append('\n');
    rowStarted = false;
  }

  boolean isEmpty() {
    return text.isEmpty();
  }

  String rows() {
    return text.toString();
  }

  private void separator() {
    if (rowStarted) {
      text.append('\t');
    }
    rowStarted = true;
  }

  /**
   * Appends the runs between characters that need escaping whole (an array copy for Latin-1 text):
   * appending an HTML body character by character was the largest part of building the rows.
   */
  private void escaped(CharSequence value) {
    int run = 0;
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      char escape = switch (c) {
        case '\\' -> '\\';
        case '\t' -> 't';
        case '\n' -> 'n';
        case '\r' -> 'r';
        default -> 0;
      };
      if (escape != 0) {
        text.append(value, run, i).append('\\').append(escape);
        run = i + 1;
      }
    }
    text.append(value, run, value.length());
  }
}
