package com.storeops.imports;

import com.storeops.imports.ParsedProduct.Cell;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** Typed reading of one row's cells; a bad value becomes a {@link RowError} and a null. */
final class CellParser {

  static final Set<String> STATUSES = Set.of("active", "draft", "archived", "unlisted");
  static final Set<String> WEIGHT_UNITS = Set.of("g", "kg", "lb", "oz");
  // numeric(12,2): ten digits before the point
  private static final BigDecimal MONEY_LIMIT = new BigDecimal("10000000000");

  private final List<RowError> errors;

  CellParser(List<RowError> errors) {
    this.errors = errors;
  }

  Cell<BigDecimal> money(ShopifyCsvReader.Row row, ShopifyColumn column) {
    return typed(row, column, text -> {
      BigDecimal value = new BigDecimal(text);
      if (value.signum() < 0) {
        throw new IllegalArgumentException("must not be negative");
      }
      if (value.stripTrailingZeros().scale() > 2) {
        throw new IllegalArgumentException("has more than 2 decimal places");
      }
      if (value.compareTo(MONEY_LIMIT) >= 0) {
        throw new IllegalArgumentException("is too large");
      }
      return value.setScale(2);
    }, "not a price");
  }

  Cell<Integer> integer(ShopifyCsvReader.Row row, ShopifyColumn column) {
    return typed(row, column, text -> new BigDecimal(text).intValueExact(), "not a whole number");
  }

  /**
   * Shopify writes grams converted from the display unit: "200", "200.0", "226.796185". The text's
   * digits are kept as they are, so an export writes back what was imported.
   */
  Cell<BigDecimal> grams(ShopifyCsvReader.Row row) {
    return typed(row, ShopifyColumn.GRAMS, text -> {
      BigDecimal grams = new BigDecimal(text);
      if (grams.signum() < 0) {
        throw new IllegalArgumentException("must not be negative");
      }
      return grams;
    }, "not a number of grams");
  }

  Cell<String> weightUnit(ShopifyCsvReader.Row row) {
    return typed(row, ShopifyColumn.WEIGHT_UNIT, text -> {
      String unit = text.toLowerCase(Locale.ROOT);
      if (!WEIGHT_UNITS.contains(unit)) {
        throw new IllegalArgumentException("unknown weight unit; expected g, kg, lb or oz");
      }
      return unit;
    }, "unknown weight unit");
  }

  /** deny | continue (legacy) or FALSE | TRUE (current "Continue selling when out of stock"), any case. */
  Cell<String> inventoryPolicy(ShopifyCsvReader.Row row) {
    return typed(row, ShopifyColumn.INVENTORY_POLICY, text -> switch (text.toLowerCase(Locale.ROOT)) {
      case "deny", "false" -> "deny";
      case "continue", "true" -> "continue";
      default -> throw new IllegalArgumentException("must be deny or continue (FALSE or TRUE)");
    }, "must be deny or continue");
  }

  Cell<Integer> positiveInteger(ShopifyCsvReader.Row row, ShopifyColumn column) {
    return typed(row, column, text -> {
      int value = new BigDecimal(text).intValueExact();
      if (value < 1) {
        throw new IllegalArgumentException("must be 1 or more");
      }
      return value;
    }, "not a whole number");
  }

  Cell<Boolean> bool(ShopifyCsvReader.Row row, ShopifyColumn column) {
    return typed(row, column, text -> switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be TRUE or FALSE");
    }, "must be TRUE or FALSE");
  }

  Cell<String> status(ShopifyCsvReader.Row row) {
    return typed(row, ShopifyColumn.STATUS, text -> {
      String status = text.toLowerCase(Locale.ROOT);
      if (!STATUSES.contains(status)) {
        throw new IllegalArgumentException("unknown status; expected active, draft, archived or unlisted");
      }
      return status;
    }, "unknown status");
  }

  Cell<List<String>> tags(ShopifyCsvReader.Row row) {
    Cell<String> cell = row.cell(ShopifyColumn.TAGS);
    if (!cell.present()) {
      return Cell.missing();
    }
    return Cell.of(cell.value() == null ? List.of()
        : Arrays.stream(cell.value().split(",")).map(String::strip).filter(t -> !t.isEmpty()).distinct().toList());
  }

  private <T> Cell<T> typed(ShopifyCsvReader.Row row, ShopifyColumn column, Function<String, T> parse, String fallback) {
    Cell<String> cell = row.cell(column);
    if (!cell.hasValue()) {
      return cell.present() ? Cell.of(null) : Cell.missing();
    }
    try {
      return Cell.of(parse.apply(cell.value()));
    } catch (NumberFormatException | ArithmeticException e) {
      errors.add(new RowError(row.line, row.header(column), cell.value(), fallback));
    } catch (IllegalArgumentException e) {
      errors.add(new RowError(row.line, row.header(column), cell.value(), e.getMessage()));
    }
    return Cell.of(null);
  }
}
