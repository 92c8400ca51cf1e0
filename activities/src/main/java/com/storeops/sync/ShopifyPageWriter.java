package com.storeops.sync;

import com.storeops.operations.OperationCounts;
import com.storeops.operations.Operations;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a page (or bulk batch) of products and the operation's counts in one transaction, so the
 * counts never run ahead of or behind the catalogue. A repeated page is an idempotent upsert, and
 * the counts are set, not added: a retry that repeats the page after the last heartbeat changes
 * nothing.
 */
@Component
class ShopifyPageWriter {

  private final ShopifySyncRepository repository;
  private final Operations operations;
  private final TransactionTemplate transactions;

  ShopifyPageWriter(ShopifySyncRepository repository, Operations operations, TransactionTemplate transactions) {
    this.repository = repository;
    this.operations = operations;
    this.transactions = transactions;
  }

  /** {@code done}: the products the sync has written, these included. */
  void write(UUID operationId, List<ShopifyProduct> products, long done) {
    transactions.executeWithoutResult(tx -> {
      repository.writeProducts(products);
      operations.setCounts(operationId, OperationCounts.succeeded(done));
    });
  }
}
