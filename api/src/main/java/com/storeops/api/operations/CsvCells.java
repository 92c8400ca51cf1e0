package com.storeops.api.operations;

/**
 * Cells of the CSV files we write, made safe to open in a spreadsheet. A cell that begins with
 * {@code = + - @}, a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets,
 * and error values come from uploaded files and Shopify, so a stranger chooses them. OWASP's rule:
 * prefix such a cell with a single quote, which spreadsheets show as text. A negative number in a
 * cell reads {@code '-5} — the price of never running what a stranger wrote.
 */
public final class CsvCells {

  private CsvCells() {}

  public static String text(String cell) {
    if (cell == null || cell.isEmpty()) {
      return cell;
    }
    return switch (cell.charAt(0)) {
      case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
      default -> cell;
    };
  }
}
