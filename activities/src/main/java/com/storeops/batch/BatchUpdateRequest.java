package com.storeops.batch;

import com.storeops.catalog.ProductStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A batch update as the API receives it and the operation stores it: which products, what changes,
 * and two flags. {@link BatchRequests#read} binds and checks it, naming the JSON path of any mistake;
 * the activities read the stored request the same way.
 *
 * <p>Each change is an object with exactly one mode as its key ({@code {"price": {"percent": -10}}});
 * the records keep that wire shape, and {@code mode()} answers which one was given.
 */
public record BatchUpdateRequest(Filter filter, Changes changes, boolean dryRun, boolean pushToShopify) {

  /** Products matching every given criterion; {@code all} for every product. Absent lists are empty. */
  public record Filter(boolean all, List<String> handles, List<String> skus, String vendor, String productType, String tag,
      ProductStatus status, Instant updatedBefore) {

    public Filter {
      handles = handles == null ? List.of() : handles;
      skus = skus == null ? List.of() : skus;
    }

    /** Whether any criterion narrows the products. */
    boolean narrows() {
      return !handles.isEmpty() || !skus.isEmpty() || vendor != null || productType != null || tag != null || status != null
          || updatedBefore != null;
    }
  }

  /** Absent changes change nothing. */
  public record Changes(PriceChange price, CompareAtChange compareAtPrice, TagChange tags, StatusChange status,
      InventoryChange inventory) {

    public boolean touchesVariants() {
      return price != null || compareAtPrice != null || inventory != null;
    }

    public boolean touchesProducts() {
      return tags != null || status != null;
    }
  }

  public enum PriceMode { SET, PERCENT, ADD }

  public enum CompareAtMode { SET, CLEAR }

  public enum InventoryMode { SET, ADD }

  /** {@code set} a price, change it by {@code percent} (rounded to cents), or {@code add} an amount (negative lowers it). */
  public record PriceChange(BigDecimal set, BigDecimal percent, BigDecimal add) {

    public PriceMode mode() {
      return set != null ? PriceMode.SET : percent != null ? PriceMode.PERCENT : PriceMode.ADD;
    }

    public BigDecimal amount() {
      return set != null ? set : percent != null ? percent : add;
    }

    long given() {
      return Stream.of(set, percent, add).filter(v -> v != null).count();
    }
  }

  /** {@code set} a compare-at price, or {@code clear} it ({@code "clear": true}). */
  public record CompareAtChange(BigDecimal set, Boolean clear) {

    public CompareAtMode mode() {
      return set != null ? CompareAtMode.SET : CompareAtMode.CLEAR;
    }

    long given() {
      return Stream.of(set, clear).filter(v -> v != null).count();
    }
  }

  /** Tags to add (after the existing ones, no repeats) and to remove; absent lists are empty. */
  public record TagChange(List<String> add, List<String> remove) {

    public TagChange {
      add = add == null ? List.of() : add;
      remove = remove == null ? List.of() : remove;
    }
  }

  public record StatusChange(ProductStatus set) {}

  /** {@code set} the inventory quantity, or {@code add} to it (negative takes away). */
  public record InventoryChange(Integer set, Integer add) {

    public InventoryMode mode() {
      return set != null ? InventoryMode.SET : InventoryMode.ADD;
    }

    public Integer amount() {
      return set != null ? set : add;
    }

    long given() {
      return Stream.of(set, add).filter(v -> v != null).count();
    }
  }
}
