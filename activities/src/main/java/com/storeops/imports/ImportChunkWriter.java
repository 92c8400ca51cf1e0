package com.storeops.imports;

import com.storeops.operations.OperationCounts;
import com.storeops.operations.OperationError;
import com.storeops.operations.Operations;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits one chunk: its products, its row errors, the operation's counts and the chunk's mark in
 * the {@link ImportChunkPlan}, in one transaction — the connection is taken for exactly that
 * transaction, and every repository called here joins it.
 */
@Component
public class ImportChunkWriter {

  private final TransactionTemplate transaction;
  private final ProductUpserter upserter;
  private final ImportChunkPlan plan;
  private final Operations operations;

  public ImportChunkWriter(PlatformTransactionManager transactions, ProductUpserter upserter, ImportChunkPlan plan,
      Operations operations) {
    this.transaction = new TransactionTemplate(transactions);
    this.upserter = upserter;
    this.plan = plan;
    this.operations = operations;
  }

  public void commit(UUID id, int chunk, List<ShopifyCsvReader.Result> products) {
    try {
      transaction.executeWithoutResult(status -> write(id, chunk, products));
    } catch (DataAccessException e) {
      throw new IllegalStateException("import chunk " + chunk + " failed: " + e.getMostSpecificCause().getMessage(), e);
    }
  }

  private void write(UUID id, int chunk, List<ShopifyCsvReader.Result> products) {
    List<ParsedProduct> valid = products.stream().filter(ShopifyCsvReader.Result::valid).map(ShopifyCsvReader.Result::product).toList();
    List<RowError> errors = new ArrayList<>(products.stream().flatMap(r -> r.errors().stream()).toList());
    ProductUpserter.Outcome outcome = upserter.upsert(valid);
    errors.addAll(outcome.errors());
    int skipped = products.size() - valid.size() + outcome.errors().size();
    operations.addErrors(id, errors.stream()
        .map(e -> new OperationError("line " + e.line(), e.column(), e.value(), e.message())).toList());
    // A chunk is committed once: a second attempt finds it marked and rolls back whole.
    if (!plan.markCommitted(id, chunk, outcome.written(), skipped)) {
      throw new IllegalStateException("chunk " + chunk + " is already committed or not planned");
    }
    operations.addCounts(id, new OperationCounts(products.size(), outcome.written(), skipped, 0));
  }
}
