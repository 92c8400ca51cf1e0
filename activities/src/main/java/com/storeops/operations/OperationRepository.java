package com.storeops.operations;

import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.repository.ListCrudRepository;

public interface OperationRepository extends ListCrudRepository<Operation, UUID> {

  List<Operation> findAllByOrderByCreatedAtDesc(Limit limit);

  List<Operation> findByTypeOrderByCreatedAtDesc(OperationType type, Limit limit);

  List<Operation> findByStatusOrderByCreatedAtDesc(OperationStatus status, Limit limit);

  List<Operation> findByTypeAndStatusOrderByCreatedAtDesc(OperationType type, OperationStatus status, Limit limit);
}
