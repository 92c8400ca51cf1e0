package com.storeops.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The SET of an upsert: only the columns the file has (a missing column keeps the stored value),
 * and a guard so that a row already holding those values is not written at all — a re-import
 * leaves rows, and their updated_at, untouched.
 */
public final class SetClause {

  private final String target;
  private final String source;
  private final List<String> columns = new ArrayList<>();
  private final List<String> expressions = new ArrayList<>();

  /** {@code target} is the table's alias, {@code source} the new values' ({@code t} or {@code excluded}). */
  public SetClause(String target, String source) {
    this.target = target;
    this.source = source;
  }

  public SetClause plain(String column, boolean present) {
    return expression(column, present, source + "." + column);
  }

  /** The schema needs a value here: a blank cell keeps the stored one. */
  public SetClause keepWhenBlank(String column, boolean present) {
    return expression(column, present, "coalesce(" + source + "." + column + ", " + target + "." + column + ")");
  }

  public SetClause expression(String column, boolean present, String expression) {
    if (present) {
      columns.add(column);
      expressions.add(expression);
    }
    return this;
  }

  public boolean isEmpty() {
    return columns.isEmpty();
  }

  /** {@code update table target set … from source where match and (changed orWhen)}. */
  public String update(String table, String from, String match, String alsoSet, String orWhen) {
    return "update " + table + " " + target + " set " + assignments() + alsoSet
        + " from " + from + " where " + match + " and (" + changed() + orWhen + ")";
  }

  /** {@code on conflict arbiter do update set … where changed}, or do nothing without columns. */
  public String onConflict(String arbiter, String alsoSet) {
    return isEmpty() ? " on conflict " + arbiter + " do nothing"
        : " on conflict " + arbiter + " do update set " + assignments() + alsoSet + " where " + changed();
  }

  private String assignments() {
    List<String> sets = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      sets.add(columns.get(i) + " = " + expressions.get(i));
    }
    return String.join(", ", sets);
  }

  private String changed() {
    List<String> current = columns.stream().map(c -> target + "." + c).toList();
    return "(" + String.join(", ", current) + ") is distinct from (" + String.join(", ", expressions) + ")";
  }
}
