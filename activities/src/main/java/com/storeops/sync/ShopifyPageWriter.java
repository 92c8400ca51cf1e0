package com.storeops.sync;

import com.storeops.db.DataRefusals;
import com.storeops.operations.OperationCounts;
import com.storeops.operations.OperationError;
import com.storeops.operations.Operations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a page (or bulk batch) of products and the operation's counts in one transaction, so the
 * counts never run ahead of or behind the catalogue. A repeated page is an idempotent upsert, and
 * the counts are set, not added: a retry that repeats the page after the last heartbeat changes
 * nothing.
 *
 * <p>A product the catalogue cannot hold is that product's error, recorded with the page, and the
 * page goes on without it: thrown, it would fail the activity and Temporal would repeat the same
 * page for ever. {@link ShopifyProductNodes} finds what Java can see; what only the database can
 * tell (a handle another stored product holds, a value too long for an index) fails the page's
 * set-based write, which then rolls back to a savepoint and writes the page product by product,
 * each in a savepoint of its own. That costs one savepoint per page while nothing is wrong, where
 * checking every product against the database first would cost lookups on every page. Failures
 * that are not the data's (a lost connection, a timeout, a deadlock) end the attempt as before,
 * and Temporal's retry resumes from the heartbeat.
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

  /**
   * {@code done}: the products the sync has seen, these included; {@code failedBefore}: those of
   * them refused by earlier pages. Answers the refused ones, these included.
   */
  long write(UUID operationId, List<ShopifyProduct> products, long done, long failedBefore) {
    return transactions.execute(tx -> {
      Map<ShopifyProduct, OperationError> refused = new LinkedHashMap<>();
      List<ShopifyProduct> wellFormed = new ArrayList<>();
      for (ShopifyProduct p : products) {
        if (p.malformed() == null) {
          wellFormed.add(p);
        } else {
          refused.put(p, error(p, p.malformed().field(), p.malformed().value(), p.malformed().reason()));
        }
      }
      Object page = tx.createSavepoint();
      try {
        repository.writeProducts(wellFormed);
        tx.releaseSavepoint(page);
      } catch (DataAccessException e) {
        badData(e);
        tx.rollbackToSavepoint(page);
        refused.putAll(oneByOne(tx, wellFormed));
      }
      // A refused product is still the shop's: stamped as seen, a full sync does not soft-delete it.
      repository.stampSynced(refused.keySet().stream().map(ShopifyProduct::id).filter(id -> id != 0).toList());
      operations.addErrorsOnce(operationId, List.copyOf(refused.values()));
      long failed = failedBefore + refused.size();
      operations.setCounts(operationId, new OperationCounts(done, done - failed, failed, 0));
      return failed;
    });
  }

  /**
   * Each product in a savepoint of its own; the refused ones are tried again after the others,
   * while that writes any, since handles swapped within a page free each other only in order.
   */
  private Map<ShopifyProduct, OperationError> oneByOne(TransactionStatus tx, List<ShopifyProduct> products) {
    Map<ShopifyProduct, DataAccessException> left = new LinkedHashMap<>();
    products.forEach(p -> left.put(p, null));
    boolean progress = true;
    while (progress && !left.isEmpty()) {
      progress = false;
      for (ShopifyProduct p : List.copyOf(left.keySet())) {
        Object one = tx.createSavepoint();
        try {
          repository.writeProducts(List.of(p));
          tx.releaseSavepoint(one);
          left.remove(p);
          progress = true;
        } catch (DataAccessException e) {
          badData(e);
          tx.rollbackToSavepoint(one);
          left.put(p, e);
        }
      }
    }
    Map<ShopifyProduct, OperationError> refused = new LinkedHashMap<>();
    left.forEach((p, e) -> refused.put(p, refusal(p, e)));
    return refused;
  }

  /** Rethrows a failure that is not the data's: Temporal's retry is for those. */
  private static void badData(DataAccessException e) {
    if (!DataRefusals.refusesData(e)) {
      throw e;
    }
  }

  private OperationError refusal(ShopifyProduct p, DataAccessException e) {
    ServerErrorMessage server = e.getMostSpecificCause() instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
    if (DataRefusals.violates(e, "products_handle_key")) {
      return error(p, "handle", p.handle(), "the handle is held by another stored product (" + repository.describeHandleHolder(p.handle())
          + "); rename or delete one of them in Shopify or here, and a full sync writes this product");
    }
    String reason = server == null ? e.getMostSpecificCause().getMessage()
        : server.getMessage() + (server.getDetail() == null ? "" : " (" + server.getDetail() + ")");
    return error(p, server == null ? null : server.getColumn(), null, "the catalogue refused it: " + reason);
  }

  private static OperationError error(ShopifyProduct p, String field, String value, String reason) {
    String handle = p.handle() == null || p.handle().length() <= 100 ? p.handle() : p.handle().substring(0, 100) + "…";
    String location = "Shopify product " + p.id() + (handle == null ? "" : " (" + handle + ")");
    return new OperationError(location, field, value, reason);
  }

}
