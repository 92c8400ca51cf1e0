package com.storeops.temporal;

import java.util.List;

/**
 * The custom search attributes storeops sets on its workflows (all Keyword), so an operator filters
 * the Web UI by them, e.g. {@code OperationType = "import" AND ExecutionStatus = "Failed"}. The dev
 * server registers them at start; a real cluster needs them registered once (README).
 */
public final class TemporalSearchAttributes {

  /** The API's type word: import, shopify-sync, batch-update, icon-generation. */
  public static final String OPERATION_TYPE = "OperationType";
  public static final String OPERATION_ID = "OperationId";
  public static final String SHOP = "Shop";

  public static final List<String> KEYWORDS = List.of(OPERATION_TYPE, OPERATION_ID, SHOP);

  private TemporalSearchAttributes() {}
}
