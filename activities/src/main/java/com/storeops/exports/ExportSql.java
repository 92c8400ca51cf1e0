package com.storeops.exports;

/**
 * The export's statements. Products are read in keyset pages (id after the last one seen), their
 * variants and images by the page's id range — each an index range scan, whatever the catalogue's
 * size, and no statement holds a connection while the file is written.
 */
final class ExportSql {

  static final String COUNT_PRODUCTS = "select count(*) from products where deleted_at is null";

  /** Every key any product or variant keeps in {@code extra}: the export's columns beyond the standard ones. */
  static final String EXTRA_KEYS = """
      select key from (
        select distinct jsonb_object_keys(extra) as key from products where deleted_at is null and extra <> '{}'
        union
        select distinct jsonb_object_keys(extra) from product_variants where extra <> '{}') k
      order by key""";

  static final String PRODUCTS_PAGE = """
      select id, handle, title, body_html, vendor, product_category, product_type, array_to_string(tags, ', ') as tags,
             published, status, option1_name, option2_name, option3_name, gift_card, seo_title, seo_description,
             extra::text as extra
      from products
      where deleted_at is null and id > :after
      order by id
      limit :limit""";

  static final String VARIANTS_OF_PAGE = """
      select product_id, option1, option2, option3, sku, price, compare_at_price, grams, inventory_quantity,
             weight_unit, barcode, taxable, requires_shipping, cost_per_item, inventory_policy, inventory_tracker,
             fulfillment_service, image_src, extra::text as extra
      from product_variants
      where product_id between :first and :last
      order by product_id, position, id""";

  static final String IMAGES_OF_PAGE = """
      select product_id, src, position, alt_text
      from product_images
      where product_id between :first and :last
      order by product_id, position, id""";

  static final String INSERT_PART = "insert into export_files (operation_id, part, data) values (?, ?, ?)";

  static final String READ_PART = "select data from export_files where operation_id = ? and part = ?";

  static final String DELETE_FILE = "delete from export_files where operation_id = ?";

  private ExportSql() {}
}
