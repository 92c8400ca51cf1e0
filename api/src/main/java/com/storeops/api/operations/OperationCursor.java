package com.storeops.api.operations;

import com.storeops.api.errors.InvalidFieldException;
import com.storeops.operations.Operation;
import com.storeops.operations.Operations.ListKey;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of operations ended: the last row's creation time and id, opaque to clients
 * (base64url), so the next page starts after it whatever arrived meanwhile.
 */
record OperationCursor(OffsetDateTime createdAt, UUID id) {

  /** The cursor after {@code last}, the last operation of a page. */
  static OperationCursor after(Operation last) {
    return new OperationCursor(last.createdAt().atOffset(ZoneOffset.UTC), last.id());
  }

  ListKey key() {
    return new ListKey(createdAt, id);
  }

  String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  static OperationCursor parse(String cursor) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
      return new OperationCursor(OffsetDateTime.parse(parts[0]), UUID.fromString(parts[1]));
    } catch (RuntimeException e) {
      throw new InvalidFieldException("cursor", "not a cursor this API returned (use nextCursor from the previous page)");
    }
  }
}
