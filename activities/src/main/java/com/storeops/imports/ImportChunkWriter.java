package com.storeops.imports;

import com.storeops.db.DataRefusals;
import com.storeops.operations.OperationCounts;
import com.storeops.operations.OperationError;
import com.storeops.operations.Operations;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits one chunk: its products, its row errors, the operation's counts and the chunk's mark in
 * the {@link ImportChunkPlan}, in one transaction — the connection is taken for exactly that
 * transaction, and every repository called here joins it.
 *
 * <p>Bad data is told from an outage by PostgreSQL's SQLSTATE class: a value the database refuses
 * (22 data exception, 23 integrity constraint, 54 program limit — a key too long for its index) is
 * refused on every attempt, so retrying the chunk cannot help. The chunk is then written again
 * product by product, each in a savepoint, and each product the database refuses becomes that
 * product's error with its line. Anything else (a lost connection, a deadlock, a timeout) is an
 * outage: the attempt fails and Temporal retries it.
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

  /**
   * @param lookUpStored false to guess the chunk's products new to the shop ({@link ProductUpserter#upsert(List, boolean)});
   *     a chunk that meets a stored product is then rolled back and written again, looking them up
   * @return whether the file's later chunks should look their products up: once one chunk met a
   *     stored product, the guess costs more than it saves
   */
  public boolean commit(UUID id, int chunk, List<ShopifyCsvReader.Result> products, boolean lookUpStored) {
    try {
      attempt(id, chunk, products, lookUpStored);
      return lookUpStored;
    } catch (ProductUpserter.StoredProductMet e) {
      attempt(id, chunk, products, true);
      return true;
    }
  }

  private void attempt(UUID id, int chunk, List<ShopifyCsvReader.Result> products, boolean lookUpStored) {
    try {
      transaction.executeWithoutResult(status -> write(id, chunk, products, null, lookUpStored));
    } catch (DataAccessException e) {
      if (!DataRefusals.refusesData(e)) {
        throw new IllegalStateException("import chunk " + chunk + " failed: " + reason(e), e);
      }
      try {
        transaction.executeWithoutResult(status -> write(id, chunk, products, status, true));
      } catch (DataAccessException again) {
        if (DataRefusals.refusesData(again)) {
          throw ApplicationFailure.newNonRetryableFailureWithCause("import chunk " + chunk + " cannot be written: " + reason(again),
              ImportFileException.class.getName(), again);
        }
        throw new IllegalStateException("import chunk " + chunk + " failed: " + reason(again), again);
      }
    }
  }

  /** @param oneByOne the chunk's transaction, to write each product in a savepoint of; null to write them together */
  private void write(UUID id, int chunk, List<ShopifyCsvReader.Result> products, TransactionStatus oneByOne, boolean lookUpStored) {
    List<ParsedProduct> valid = products.stream().filter(ShopifyCsvReader.Result::valid).map(ShopifyCsvReader.Result::product).toList();
    List<RowError> errors = new ArrayList<>(products.stream().flatMap(r -> r.errors().stream()).toList());
    ProductUpserter.Outcome outcome = oneByOne == null ? upserter.upsert(valid, lookUpStored) : upsertOneByOne(valid, oneByOne);
    errors.addAll(outcome.errors());
    int skipped = products.size() - valid.size() + outcome.errors().size();
    operations.addErrors(id, errors.stream()
        .map(e -> new OperationError("line " + e.line(), e.column(), storable(e.value()), e.message())).toList());
    // A chunk is committed once: a second attempt finds it marked and rolls back whole.
    if (!plan.markCommitted(id, chunk, outcome.written(), skipped)) {
      throw new IllegalStateException("chunk " + chunk + " is already committed or not planned");
    }
    operations.addCounts(id, new OperationCounts(products.size(), outcome.written(), skipped, 0));
  }

  private ProductUpserter.Outcome upsertOneByOne(List<ParsedProduct> products, TransactionStatus status) {
    int written = 0;
    List<RowError> errors = new ArrayList<>();
    for (ParsedProduct product : products) {
      Object savepoint = status.createSavepoint();
      try {
        ProductUpserter.Outcome one = upserter.upsert(List.of(product));
        status.releaseSavepoint(savepoint);
        written += one.written();
        errors.addAll(one.errors());
      } catch (DataAccessException e) {
        if (!DataRefusals.refusesData(e)) {
          throw e;
        }
        status.rollbackToSavepoint(savepoint);
        errors.add(new RowError(product.line(), null, null, "refused by the database: " + reason(e)));
      }
    }
    return new ProductUpserter.Outcome(written, errors);
  }

  /** PostgreSQL's message, without the statement. */
  static String reason(DataAccessException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
        return psql.getServerErrorMessage().getMessage();
      }
    }
    String message = String.valueOf(e.getMostSpecificCause().getMessage());
    return message.lines().findFirst().orElse(message);
  }

  /** PostgreSQL stores no NUL in text; an error's value keeps the rest. */
  private static String storable(String value) {
    return value == null ? null : value.replace("\u0000", "\\0");
  }
}
