package com.storeops.imports;

import com.storeops.catalog.Tags;
import com.storeops.db.DataRefusals;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.jdbc.datasource.DataSourceUtils;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one chunk of parsed products into products / product_variants / product_images, inside
 * the caller's transaction, set-based: a handful of statements per chunk whatever its size. One
 * look-up by handle splits the chunk (or, when the chunk is guessed new, the unique index on
 * handle finds a stored product as the COPY passes it): products new to the shop, with their
 * variants and images, go in by COPY straight into the three tables (no staging, no matching:
 * what the tables' indexes and keys cost and nothing more); products already stored are updated
 * by statements that ship the rows as one array parameter per column, turned back into rows by
 * {@code unnest}. Products are matched by handle, variants by their product and option values
 * (Shopify's identity; a SKU is only an attribute and may repeat), images by URL.
 *
 * <p>Every statement matches through a unique index (ON CONFLICT) or a join, never
 * {@code = any(array)}: with stale statistics — right after a TRUNCATE, say — PostgreSQL may plan
 * the latter as a sequential scan comparing every row with every array element, which made a
 * 100 k-product import take 35 s instead of 9. Only products already stored pay for update
 * statements.
 *
 * <p>Shopify's overwrite rule: a column missing from the file keeps the stored value, a blank cell
 * clears it — except where the schema needs a value: a blank title or status keeps the stored one,
 * a blank image position keeps it, and a new product without a title is refused. Which columns the
 * file has travels as {@code :hasX} flags, so each statement has one fixed shape. Updates that would
 * change nothing are skipped by each statement's guard, so re-importing a file leaves every row —
 * and its updated_at — as it was.
 *
 * <p>Tags travel as one text per product, joined with the unit separator, chr(31) ({@link Tags#join}).
 */
@Component
public class ProductUpserter {

  /** Products written and refused by one chunk. */
  public record Outcome(int written, List<RowError> errors) {}

  /**
   * Ids for the products new to the shop, taken from the identity's own sequence. The sequence is
   * looked up once (a materialized CTE): as an argument of nextval it was looked up again for every
   * id, ten times the cost of the ids themselves (0.75 s against 0.07 s for 100 000).
   */
  static final String NEW_PRODUCT_IDS = """
      with sequence as materialized (select cast(pg_get_serial_sequence('products', 'id') as regclass) as id)
      select nextval(sequence.id) from sequence, generate_series(1, :count)""";

  /** Products new to the shop, with the ids taken above (COPY writes an identity column's given values). */
  static final String COPY_PRODUCTS = """
      copy products (id, handle, title, body_html, vendor, product_category, product_type, tags, published, status,
                     option1_name, option2_name, option3_name, gift_card, seo_title, seo_description, extra)
      from stdin""";

  static final String STORED_PRODUCT_IDS = """
      select p.handle, p.id
      from unnest(cast(:handle as text[])) as t(handle) join products p on p.handle = t.handle""";

  /**
   * A soft-deleted product that is imported again comes back. {@code extra} keeps the keys of
   * columns the file does not have and takes the file's values for the ones it has.
   */
  static final String UPDATE_PRODUCTS = """
      update products p
      set title            = case when :hasTitle then coalesce(t.title, p.title) else p.title end,
          body_html        = case when :hasBodyHtml then t.body_html else p.body_html end,
          vendor           = case when :hasVendor then t.vendor else p.vendor end,
          product_category = case when :hasProductCategory then t.product_category else p.product_category end,
          product_type     = case when :hasProductType then t.product_type else p.product_type end,
          tags             = case when :hasTags then coalesce(string_to_array(t.tags, chr(31)), '{}') else p.tags end,
          published        = case when :hasPublished then t.published else p.published end,
          status           = case when :hasStatus then coalesce(t.status, p.status) else p.status end,
          option1_name     = case when :hasOption1Name then t.option1_name else p.option1_name end,
          option2_name     = case when :hasOption2Name then t.option2_name else p.option2_name end,
          option3_name     = case when :hasOption3Name then t.option3_name else p.option3_name end,
          gift_card        = case when :hasGiftCard then t.gift_card else p.gift_card end,
          seo_title        = case when :hasSeoTitle then t.seo_title else p.seo_title end,
          seo_description  = case when :hasSeoDescription then t.seo_description else p.seo_description end,
          extra            = (p.extra - cast(:extraColumns as text[])) || cast(t.extra as jsonb),
          deleted_at       = null,
          updated_at       = now()
      from unnest(cast(:id as bigint[]), cast(:title as text[]), cast(:bodyHtml as text[]), cast(:vendor as text[]),
                  cast(:productCategory as text[]), cast(:productType as text[]), cast(:tags as text[]),
                  cast(:published as boolean[]), cast(:status as text[]), cast(:option1Name as text[]),
                  cast(:option2Name as text[]), cast(:option3Name as text[]), cast(:giftCard as boolean[]),
                  cast(:seoTitle as text[]), cast(:seoDescription as text[]), cast(:extra as text[]))
           as t(id, title, body_html, vendor, product_category, product_type, tags, published, status,
                option1_name, option2_name, option3_name, gift_card, seo_title, seo_description, extra)
      where p.id = t.id
        and (p.deleted_at is not null
          or :hasTitle and p.title is distinct from coalesce(t.title, p.title)
          or :hasBodyHtml and p.body_html is distinct from t.body_html
          or :hasVendor and p.vendor is distinct from t.vendor
          or :hasProductCategory and p.product_category is distinct from t.product_category
          or :hasProductType and p.product_type is distinct from t.product_type
          or :hasTags and p.tags is distinct from coalesce(string_to_array(t.tags, chr(31)), '{}')
          or :hasPublished and p.published is distinct from t.published
          or :hasStatus and p.status is distinct from coalesce(t.status, p.status)
          or :hasOption1Name and p.option1_name is distinct from t.option1_name
          or :hasOption2Name and p.option2_name is distinct from t.option2_name
          or :hasOption3Name and p.option3_name is distinct from t.option3_name
          or :hasGiftCard and p.gift_card is distinct from t.gift_card
          or :hasSeoTitle and p.seo_title is distinct from t.seo_title
          or :hasSeoDescription and p.seo_description is distinct from t.seo_description
          or p.extra is distinct from (p.extra - cast(:extraColumns as text[])) || cast(t.extra as jsonb))""";

  /** Variants of products this chunk created. */
  static final String COPY_VARIANTS = """
      copy product_variants (product_id, position, option1, option2, option3, sku, price, compare_at_price, grams,
                             inventory_quantity, weight_unit, barcode, taxable, requires_shipping, cost_per_item,
                             inventory_policy, inventory_tracker, fulfillment_service, image_src, extra)
      from stdin""";

  /** The chunk's variants of stored products as rows {@code t}, one array parameter per column. */
  private static final String VARIANT_ROWS = """
      unnest(cast(:productId as bigint[]), cast(:position as int[]), cast(:option1 as text[]),
             cast(:option2 as text[]), cast(:option3 as text[]), cast(:sku as text[]), cast(:price as numeric[]),
             cast(:compareAtPrice as numeric[]), cast(:grams as numeric[]), cast(:inventoryQuantity as int[]),
             cast(:weightUnit as text[]), cast(:barcode as text[]), cast(:taxable as boolean[]),
             cast(:requiresShipping as boolean[]), cast(:costPerItem as numeric[]), cast(:inventoryPolicy as text[]),
             cast(:inventoryTracker as text[]), cast(:fulfillmentService as text[]), cast(:imageSrc as text[]),
             cast(:extra as text[]))
      as t(product_id, position, option1, option2, option3, sku, price, compare_at_price, grams,
           inventory_quantity, weight_unit, barcode, taxable, requires_shipping, cost_per_item,
           inventory_policy, inventory_tracker, fulfillment_service, image_src, extra)
      """;

  /**
   * Variants of stored products: a variant is its product plus its option values, as in Shopify, so
   * the stored one with the same values is updated. The SKU is just another value — it may repeat.
   */
  static final String UPDATE_VARIANTS = """
      update product_variants v
      set position            = t.position,
          sku                 = case when :hasSku then t.sku else v.sku end,
          price               = case when :hasPrice then t.price else v.price end,
          compare_at_price    = case when :hasCompareAtPrice then t.compare_at_price else v.compare_at_price end,
          grams               = case when :hasGrams then t.grams else v.grams end,
          inventory_quantity  = case when :hasInventoryQuantity then t.inventory_quantity else v.inventory_quantity end,
          weight_unit         = case when :hasWeightUnit then t.weight_unit else v.weight_unit end,
          barcode             = case when :hasBarcode then t.barcode else v.barcode end,
          taxable             = case when :hasTaxable then t.taxable else v.taxable end,
          requires_shipping   = case when :hasRequiresShipping then t.requires_shipping else v.requires_shipping end,
          cost_per_item       = case when :hasCostPerItem then t.cost_per_item else v.cost_per_item end,
          inventory_policy    = case when :hasInventoryPolicy then t.inventory_policy else v.inventory_policy end,
          inventory_tracker   = case when :hasInventoryTracker then t.inventory_tracker else v.inventory_tracker end,
          fulfillment_service = case when :hasFulfillmentService then t.fulfillment_service else v.fulfillment_service end,
          image_src           = case when :hasImageSrc then t.image_src else v.image_src end,
          extra               = (v.extra - cast(:extraColumns as text[])) || cast(t.extra as jsonb),
          updated_at          = now()
      from
      """ + VARIANT_ROWS + """
      where v.product_id = t.product_id
        and coalesce(v.option1, '') = coalesce(t.option1, '')
        and coalesce(v.option2, '') = coalesce(t.option2, '')
        and coalesce(v.option3, '') = coalesce(t.option3, '')
        and (v.position is distinct from t.position
          or :hasSku and v.sku is distinct from t.sku
          or :hasPrice and v.price is distinct from t.price
          or :hasCompareAtPrice and v.compare_at_price is distinct from t.compare_at_price
          or :hasGrams and v.grams is distinct from t.grams
          or :hasInventoryQuantity and v.inventory_quantity is distinct from t.inventory_quantity
          or :hasWeightUnit and v.weight_unit is distinct from t.weight_unit
          or :hasBarcode and v.barcode is distinct from t.barcode
          or :hasTaxable and v.taxable is distinct from t.taxable
          or :hasRequiresShipping and v.requires_shipping is distinct from t.requires_shipping
          or :hasCostPerItem and v.cost_per_item is distinct from t.cost_per_item
          or :hasInventoryPolicy and v.inventory_policy is distinct from t.inventory_policy
          or :hasInventoryTracker and v.inventory_tracker is distinct from t.inventory_tracker
          or :hasFulfillmentService and v.fulfillment_service is distinct from t.fulfillment_service
          or :hasImageSrc and v.image_src is distinct from t.image_src
          or v.extra is distinct from (v.extra - cast(:extraColumns as text[])) || cast(t.extra as jsonb))""";

  /** Variants of stored products whose option values the product does not have yet. */
  static final String INSERT_VARIANTS_NOT_STORED = """
      insert into product_variants (product_id, position, option1, option2, option3, sku, price, compare_at_price, grams, inventory_quantity,
                                    weight_unit, barcode, taxable, requires_shipping, cost_per_item, inventory_policy,
                                    inventory_tracker, fulfillment_service, image_src, extra)
      select t.product_id, t.position, t.option1, t.option2, t.option3, t.sku, t.price, t.compare_at_price,
             t.grams, t.inventory_quantity, t.weight_unit, t.barcode, t.taxable, t.requires_shipping,
             t.cost_per_item, t.inventory_policy, t.inventory_tracker, t.fulfillment_service, t.image_src,
             cast(t.extra as jsonb)
      from
      """ + VARIANT_ROWS + """
      where not exists (
        select 1 from product_variants v
        where v.product_id = t.product_id
          and coalesce(v.option1, '') = coalesce(t.option1, '')
          and coalesce(v.option2, '') = coalesce(t.option2, '')
          and coalesce(v.option3, '') = coalesce(t.option3, ''))""";

  /** Images of products this chunk created. */
  static final String COPY_IMAGES = """
      copy product_images (product_id, src, position, alt_text) from stdin""";

  /** Images of stored products: the one with the same URL is updated. */
  static final String UPDATE_IMAGES = """
      update product_images i
      set position = case when :hasPosition then coalesce(t.position, i.position) else i.position end,
          alt_text = case when :hasAltText then t.alt_text else i.alt_text end
      from unnest(cast(:productId as bigint[]), cast(:src as text[]), cast(:position as int[]), cast(:altText as text[]))
           as t(product_id, src, position, alt_text)
      where i.product_id = t.product_id and i.src = t.src
        and (:hasPosition and i.position is distinct from coalesce(t.position, i.position)
          or :hasAltText and i.alt_text is distinct from t.alt_text)""";

  /** Images of stored products with a URL the product does not have yet. */
  static final String INSERT_IMAGES_NOT_STORED = """
      insert into product_images (product_id, src, position, alt_text)
      select t.product_id, t.src, coalesce(t.position, 1), t.alt_text
      from unnest(cast(:productId as bigint[]), cast(:src as text[]), cast(:position as int[]), cast(:altText as text[]))
           as t(product_id, src, position, alt_text)
      on conflict (product_id, src) do nothing""";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final DataSource dataSource;

  public ProductUpserter(JdbcClient jdbc, DataSource dataSource) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
  }

  /**
   * Products of a chunk guessed new to the shop met one stored under the same handle: the chunk's
   * transaction is void, and the chunk is to be written again with its products looked up.
   */
  public static final class StoredProductMet extends RuntimeException {
    StoredProductMet(Throwable cause) {
      super("a product guessed new is stored already", cause);
    }
  }

  public Outcome upsert(List<ParsedProduct> products) {
    return upsert(products, true);
  }

  /**
   * @param lookUpStored false to guess that the chunk's products are all new to the shop and leave
   *     finding a stored one to the unique index on handle, which every new product's row passes
   *     through anyway ({@link StoredProductMet}), instead of first looking each handle up — a pass
   *     over that index which found nothing in a file of new products. A chunk with a product
   *     without a title is looked up whatever the guess: such a product can only be an update.
   */
  public Outcome upsert(List<ParsedProduct> products, boolean lookUpStored) {
    boolean lookUp = lookUpStored || products.stream().anyMatch(p -> !p.title().hasValue());
    Map<String, Long> ids = new HashMap<>(lookUp ? storedIds(products) : Map.of());
    List<RowError> errors = new ArrayList<>();
    List<ParsedProduct> fresh = new ArrayList<>();
    List<ParsedProduct> updates = new ArrayList<>();
    Set<String> freshHandles = new HashSet<>();
    for (ParsedProduct p : products) {
      if (ids.containsKey(p.handle()) || freshHandles.contains(p.handle())) {
        updates.add(p); // a handle twice in one chunk: the second is an update of the first
      } else if (p.title().hasValue()) {
        fresh.add(p);
        freshHandles.add(p.handle());
      } else {
        errors.add(new RowError(p.line(), ShopifyColumn.TITLE.displayName(), null, "a new product needs a title"));
      }
    }
    Map<String, Long> inserted = copyNewProducts(fresh, !lookUp);
    ids.putAll(inserted);
    updateProducts(updates, ids);
    List<Written> written = new ArrayList<>();
    fresh.forEach(p -> written.add(new Written(p, inserted.get(p.handle()), true)));
    updates.forEach(p -> written.add(new Written(p, ids.get(p.handle()), false)));
    variants(written);
    images(written);
    return new Outcome(written.size(), errors);
  }

  /** A product of the chunk as stored: its id, and whether this chunk created it. */
  private record Written(ParsedProduct product, long id, boolean isNew) {}

  // ---- products ----

  /**
   * Products new to the shop go in by COPY with ids taken up front: the rows go straight into the
   * table, as fast as the table's indexes and keys allow. A product another writer stored meanwhile
   * under the same handle makes the COPY fail on the unique handle, and with it the chunk's
   * transaction; the retry finds that product stored and updates it. So does a product guessed new.
   */
  private Map<String, Long> copyNewProducts(List<ParsedProduct> products, boolean guessed) {
    if (products.isEmpty()) {
      return Map.of();
    }
    List<Long> newIds = jdbc.sql(NEW_PRODUCT_IDS).param("count", products.size()).query(Long.class).list();
    Map<String, Long> ids = new HashMap<>();
    CopyRows rows = new CopyRows(products.size());
    for (int i = 0; i < products.size(); i++) {
      ParsedProduct p = products.get(i);
      long id = newIds.get(i);
      ids.put(p.handle(), id);
      rows.number(id).text(p.handle()).text(p.title().value()).text(p.bodyHtml().value()).text(p.vendor().value())
          .text(p.productCategory().value()).text(p.productType().value()).array(p.tags().value())
          .bool(p.published().value()).text(p.status().hasValue() ? p.status().value() : "active")
          .text(p.optionNames().get(0).value()).text(p.optionNames().get(1).value()).text(p.optionNames().get(2).value())
          .bool(p.giftCard().value()).text(p.seoTitle().value()).text(p.seoDescription().value()).text(json(p.extras()))
          .endRow();
    }
    try {
      copy(COPY_PRODUCTS, rows);
    } catch (DataAccessException e) {
      throw guessed && DataRefusals.violates(e, "products_handle_key") ? new StoredProductMet(e) : e;
    }
    return ids;
  }

  /** COPY into the chunk's transaction: the connection is the one the transaction holds. */
  private void copy(String sql, CopyRows rows) {
    if (rows.isEmpty()) {
      return;
    }
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      // As bytes: the driver would otherwise encode a reader's characters piece by piece.
      byte[] bytes = rows.rows().getBytes(StandardCharsets.UTF_8);
      connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(bytes));
    } catch (SQLException e) {
      DataAccessException translated = new SQLStateSQLExceptionTranslator().translate("COPY", sql, e);
      throw translated != null ? translated : new UncategorizedSQLException("COPY", sql, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  private Map<String, Long> storedIds(List<ParsedProduct> products) {
    return products.isEmpty() ? Map.of() : idsByHandle(jdbc.sql(STORED_PRODUCT_IDS)
        .param("handle", column(products, ParsedProduct::handle, String[]::new)));
  }

  private static Map<String, Long> idsByHandle(JdbcClient.StatementSpec statement) {
    Map<String, Long> ids = new HashMap<>();
    statement.query(rs -> {
      ids.put(rs.getString(1), rs.getLong(2));
    });
    return ids;
  }

  private void updateProducts(List<ParsedProduct> products, Map<String, Long> ids) {
    if (products.isEmpty()) {
      return;
    }
    ParsedProduct first = products.get(0); // which columns the file has is the same for every row
    jdbc.sql(UPDATE_PRODUCTS)
        .param("id", column(products, p -> ids.get(p.handle()), Long[]::new))
        .params(productValues(products))
        .param("hasTitle", first.title().present())
        .param("hasBodyHtml", first.bodyHtml().present())
        .param("hasVendor", first.vendor().present())
        .param("hasProductCategory", first.productCategory().present())
        .param("hasProductType", first.productType().present())
        .param("hasTags", first.tags().present())
        .param("hasPublished", first.published().present())
        .param("hasStatus", first.status().present())
        .param("hasOption1Name", first.optionNames().get(0).present())
        .param("hasOption2Name", first.optionNames().get(1).present())
        .param("hasOption3Name", first.optionNames().get(2).present())
        .param("hasGiftCard", first.giftCard().present())
        .param("hasSeoTitle", first.seoTitle().present())
        .param("hasSeoDescription", first.seoDescription().present())
        .param("extraColumns", first.extras().columns().toArray(String[]::new))
        .update();
  }

  /** Every product column but the key, one array each. */
  private static Map<String, Object> productValues(List<ParsedProduct> products) {
    Map<String, Object> values = new HashMap<>();
    values.put("title", column(products, p -> p.title().value(), String[]::new));
    values.put("bodyHtml", column(products, p -> p.bodyHtml().value(), String[]::new));
    values.put("vendor", column(products, p -> p.vendor().value(), String[]::new));
    values.put("productType", column(products, p -> p.productType().value(), String[]::new));
    values.put("tags", column(products, p -> p.tags().hasValue() ? Tags.join(p.tags().value()) : null, String[]::new));
    values.put("published", column(products, p -> p.published().value(), Boolean[]::new));
    values.put("status", column(products, p -> p.status().value(), String[]::new));
    values.put("option1Name", column(products, p -> p.optionNames().get(0).value(), String[]::new));
    values.put("option2Name", column(products, p -> p.optionNames().get(1).value(), String[]::new));
    values.put("option3Name", column(products, p -> p.optionNames().get(2).value(), String[]::new));
    values.put("productCategory", column(products, p -> p.productCategory().value(), String[]::new));
    values.put("giftCard", column(products, p -> p.giftCard().value(), Boolean[]::new));
    values.put("seoTitle", column(products, p -> p.seoTitle().value(), String[]::new));
    values.put("seoDescription", column(products, p -> p.seoDescription().value(), String[]::new));
    values.put("extra", column(products, p -> json(p.extras()), String[]::new));
    return values;
  }

  // ---- variants ----

  private record VariantRow(long productId, int position, ParsedProduct.Variant variant, boolean isNew) {}

  private void variants(List<Written> products) {
    List<VariantRow> rows = new ArrayList<>();
    for (Written w : products) {
      List<ParsedProduct.Variant> variants = w.product.variants();
      for (int i = 0; i < variants.size(); i++) {
        rows.add(new VariantRow(w.id, i + 1, variants.get(i), w.isNew));
      }
    }
    List<VariantRow> ofNew = rows.stream().filter(r -> r.isNew).toList();
    List<VariantRow> ofStored = rows.stream().filter(r -> !r.isNew).toList();
    CopyRows copied = new CopyRows(ofNew.size());
    for (VariantRow r : ofNew) {
      ParsedProduct.Variant v = r.variant;
      copied.number(r.productId).number(r.position).text(v.options().get(0).value()).text(v.options().get(1).value())
          .text(v.options().get(2).value()).text(v.sku().value()).number(v.price().value())
          .number(v.compareAtPrice().value()).number(v.grams().value()).number(v.inventoryQuantity().value())
          .text(v.weightUnit().value()).text(v.barcode().value()).bool(v.taxable().value())
          .bool(v.requiresShipping().value()).number(v.costPerItem().value()).text(v.inventoryPolicy().value())
          .text(v.inventoryTracker().value()).text(v.fulfillmentService().value()).text(v.imageSrc().value())
          .text(json(v.extras()))
          .endRow();
    }
    copy(COPY_VARIANTS, copied);
    if (!ofStored.isEmpty()) {
      jdbc.sql(UPDATE_VARIANTS).params(variantValues(ofStored)).params(variantColumnsPresent(ofStored)).update();
      jdbc.sql(INSERT_VARIANTS_NOT_STORED).params(variantValues(ofStored)).update();
    }
  }

  private static Map<String, Object> variantValues(List<VariantRow> rows) {
    Map<String, Object> values = new HashMap<>();
    values.put("productId", column(rows, VariantRow::productId, Long[]::new));
    values.put("position", column(rows, VariantRow::position, Integer[]::new));
    values.put("option1", column(rows, r -> r.variant.options().get(0).value(), String[]::new));
    values.put("option2", column(rows, r -> r.variant.options().get(1).value(), String[]::new));
    values.put("option3", column(rows, r -> r.variant.options().get(2).value(), String[]::new));
    values.put("sku", column(rows, r -> r.variant.sku().value(), String[]::new));
    // Numbers travel as text: the driver has no numeric array, and text keeps every digit.
    values.put("price", column(rows, r -> text(r.variant.price().value()), String[]::new));
    values.put("compareAtPrice", column(rows, r -> text(r.variant.compareAtPrice().value()), String[]::new));
    values.put("grams", column(rows, r -> text(r.variant.grams().value()), String[]::new));
    values.put("inventoryQuantity", column(rows, r -> r.variant.inventoryQuantity().value(), Integer[]::new));
    values.put("weightUnit", column(rows, r -> r.variant.weightUnit().value(), String[]::new));
    values.put("barcode", column(rows, r -> r.variant.barcode().value(), String[]::new));
    values.put("taxable", column(rows, r -> r.variant.taxable().value(), Boolean[]::new));
    values.put("requiresShipping", column(rows, r -> r.variant.requiresShipping().value(), Boolean[]::new));
    values.put("costPerItem", column(rows, r -> text(r.variant.costPerItem().value()), String[]::new));
    values.put("inventoryPolicy", column(rows, r -> r.variant.inventoryPolicy().value(), String[]::new));
    values.put("inventoryTracker", column(rows, r -> r.variant.inventoryTracker().value(), String[]::new));
    values.put("fulfillmentService", column(rows, r -> r.variant.fulfillmentService().value(), String[]::new));
    values.put("imageSrc", column(rows, r -> r.variant.imageSrc().value(), String[]::new));
    values.put("extra", column(rows, r -> json(r.variant.extras()), String[]::new));
    return values;
  }

  /** Which variant columns the file has, the same for every row. */
  private static Map<String, Object> variantColumnsPresent(List<VariantRow> rows) {
    ParsedProduct.Variant first = rows.get(0).variant;
    Map<String, Object> present = new HashMap<>();
    present.put("hasSku", first.sku().present());
    present.put("hasPrice", first.price().present());
    present.put("hasCompareAtPrice", first.compareAtPrice().present());
    present.put("hasGrams", first.grams().present());
    present.put("hasInventoryQuantity", first.inventoryQuantity().present());
    present.put("hasWeightUnit", first.weightUnit().present());
    present.put("hasBarcode", first.barcode().present());
    present.put("hasTaxable", first.taxable().present());
    present.put("hasRequiresShipping", first.requiresShipping().present());
    present.put("hasCostPerItem", first.costPerItem().present());
    present.put("hasInventoryPolicy", first.inventoryPolicy().present());
    present.put("hasInventoryTracker", first.inventoryTracker().present());
    present.put("hasFulfillmentService", first.fulfillmentService().present());
    present.put("hasImageSrc", first.imageSrc().present());
    present.put("extraColumns", first.extras().columns().toArray(String[]::new));
    return present;
  }

  // ---- images ----

  private record ImageRow(long productId, ParsedProduct.Image image) {}

  /** A product's image by URL; a record, not a joined string, so no text is built per image. */
  private record ImageKey(long productId, String src) {}

  private void images(List<Written> products) {
    Map<ImageKey, ImageRow> ofNew = new LinkedHashMap<>(); // the same URL twice in a product: first wins
    Map<ImageKey, ImageRow> ofStored = new LinkedHashMap<>();
    for (Written w : products) {
      for (ParsedProduct.Image image : w.product.images()) {
        (w.isNew ? ofNew : ofStored).putIfAbsent(new ImageKey(w.id, image.src()), new ImageRow(w.id, image));
      }
    }
    CopyRows copied = new CopyRows(ofNew.size());
    for (ImageRow r : ofNew.values()) {
      Integer position = r.image.position().value();
      copied.number(r.productId).text(r.image.src()).number(position == null ? 1 : position).text(r.image.alt().value()).endRow();
    }
    copy(COPY_IMAGES, copied);
    if (ofStored.isEmpty()) {
      return;
    }
    List<ImageRow> stored = List.copyOf(ofStored.values());
    boolean hasPosition = stored.get(0).image.position().present();
    boolean hasAltText = stored.get(0).image.alt().present();
    if (hasPosition || hasAltText) {
      jdbc.sql(UPDATE_IMAGES).params(imageValues(stored))
          .param("hasPosition", hasPosition).param("hasAltText", hasAltText).update();
    }
    jdbc.sql(INSERT_IMAGES_NOT_STORED).params(imageValues(stored)).update();
  }

  private static Map<String, Object> imageValues(List<ImageRow> rows) {
    return Map.of(
        "productId", column(rows, ImageRow::productId, Long[]::new),
        "src", column(rows, r -> r.image.src(), String[]::new),
        "position", column(rows, r -> r.image.position().value(), Integer[]::new),
        "altText", column(rows, r -> r.image.alt().value(), String[]::new));
  }

  // ---- columns ----

  /** One column of the rows as an array, for one {@code cast(:name as type[])} of an unnest. */
  private static <R, T> T[] column(List<R> rows, Function<R, T> value, IntFunction<T[]> array) {
    return rows.stream().map(value).toArray(array);
  }

  private static String text(BigDecimal number) {
    return number == null ? null : number.toPlainString();
  }

  private static String json(ParsedProduct.Extras extras) {
    return extras.values().isEmpty() ? "{}" : JSON.writeValueAsString(extras.values());
  }
}
