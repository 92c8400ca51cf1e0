package com.storeops.operations;

import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;

/**
 * Goes once the features read and write through {@link Operations}: a {@code save} of a loaded
 * {@link Operation} writes every column back, over counters that activities added meanwhile.
 */
@Deprecated(forRemoval = true)
public interface OperationRepository extends ListCrudRepository<Operation, UUID> {}
