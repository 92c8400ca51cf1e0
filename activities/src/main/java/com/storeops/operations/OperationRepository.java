package com.storeops.operations;

import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;

public interface OperationRepository extends ListCrudRepository<Operation, UUID> {}
