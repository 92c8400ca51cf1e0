package com.storeops.operations;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.storeops.api.operations.OperationViews;
import com.storeops.common.OperationStatus;
import com.storeops.common.OperationType;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The operations API's refusals as a client sees them — 400, 401, 404, 405 and 409 as
 * problem+json — on the web layer alone: the controller, the error advice and the API key check,
 * with the operations store and Temporal mocked. A refusal must reach neither.
 */
@WebMvcTest(
    useDefaultFilters = false,
    includeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = {
        "com\\.storeops\\.api\\.operations\\.OperationsController",
        "com\\.storeops\\.api\\.errors\\.ApiErrors",
        "com\\.storeops\\.api\\.auth\\.ApiKeyAuth"}),
    properties = "storeops.api.key=" + OperationsApiTest.KEY)
class OperationsApiTest {

  static final String KEY = "slice-test-key-51c2";
  private static final String BEARER = "Bearer " + KEY;

  @Autowired MockMvc http;
  @MockitoBean Operations operations;
  @MockitoBean OperationViews views;
  @MockitoBean WorkflowClient temporal;
  @MockitoBean OperationReconciler reconciler;

  @Test
  void changingWithoutTheApiKeyIsA401ProblemThatNeverRepeatsTheKeySent() throws Exception {
    UUID id = UUID.randomUUID();

    http.perform(post("/api/operations/{id}/cancel", id))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
        .andExpect(header().string("WWW-Authenticate", startsWith("Bearer")));
    http.perform(post("/api/operations/{id}/cancel", id).header("Authorization", "Bearer nope"))
        .andExpect(status().isUnauthorized())
        .andExpect(content().string(not(containsString("nope"))));

    verifyNoInteractions(operations, temporal);
  }

  @Test
  void readsOfOperationsNeedTheApiKeyToo() throws Exception {
    when(operations.list(any(), any(), any(), anyInt())).thenReturn(List.of());
    UUID id = UUID.randomUUID();

    http.perform(get("/api/operations")).andExpect(status().isUnauthorized());
    http.perform(get("/api/operations/{id}", id)).andExpect(status().isUnauthorized());
    http.perform(get("/api/operations/{id}/errors", id))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    verifyNoInteractions(operations);

    http.perform(get("/api/operations").header("Authorization", BEARER))
        .andExpect(status().isOk()).andExpect(jsonPath("$.nextCursor").isEmpty());
  }

  @Test
  void unknownIdsAre404Problems() throws Exception {
    UUID id = UUID.randomUUID();
    when(operations.find(id)).thenReturn(Optional.empty());
    when(operations.exists(id)).thenReturn(false);

    http.perform(get("/api/operations/{id}", id).header("Authorization", BEARER))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    http.perform(post("/api/operations/{id}/cancel", id).header("Authorization", BEARER))
        .andExpect(status().isNotFound());
    http.perform(get("/api/operations/{id}/errors", id).header("Authorization", BEARER))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"));

    verify(operations).exists(id);
    verify(operations, never()).errors(any(), anyLong(), anyInt());
    verifyNoInteractions(temporal);
  }

  @Test
  void cancellingAnEndedOperationIsA409AndCancelsNothing() throws Exception {
    Operation ended = operation(OperationStatus.COMPLETED);
    when(operations.find(ended.id())).thenReturn(Optional.of(ended));

    http.perform(post("/api/operations/{id}/cancel", ended.id()).header("Authorization", BEARER))
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
        .andExpect(jsonPath("$.detail").value(containsString("COMPLETED")));

    verifyNoInteractions(temporal);
  }

  @Test
  void forgedCursorOrUnknownStatusIsA400ProblemNamingTheField() throws Exception {
    http.perform(get("/api/operations").header("Authorization", BEARER).param("cursor", "bm90LWEtY3Vyc29y"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("cursor"));
    http.perform(get("/api/operations").header("Authorization", BEARER).param("status", "done"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.reason").value(allOf(containsString("PENDING"), containsString("CANCELED"))));

    verifyNoInteractions(operations);
  }

  @Test
  void malformedIdIsA400ProblemNamingTheField() throws Exception {
    http.perform(get("/api/operations/not-a-uuid").header("Authorization", BEARER))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
        .andExpect(jsonPath("$.field").value("id"));
  }

  @Test
  void unknownTypeFilterIsA400ProblemNamingTheField() throws Exception {
    http.perform(get("/api/operations").header("Authorization", BEARER).param("type", "refund"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.field").value("type"))
        .andExpect(jsonPath("$.reason").value(allOf(containsString("shopify-sync"), containsString("import"))));
  }

  @Test
  void nonNumericOrOutOfRangeLimitIsA400Problem() throws Exception {
    http.perform(get("/api/operations").header("Authorization", BEARER).param("limit", "lots")).andExpect(jsonPath("$.field").value("limit"));
    http.perform(get("/api/operations").header("Authorization", BEARER).param("limit", "0")).andExpect(status().isBadRequest());
    http.perform(get("/api/operations").header("Authorization", BEARER).param("limit", "501")).andExpect(status().isBadRequest());

    verifyNoInteractions(operations);
  }

  @Test
  void unknownRouteAndWrongMethodAreProblemsToo() throws Exception {
    http.perform(get("/api/nothing-here").header("Authorization", BEARER))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    http.perform(delete("/api/operations/{id}", UUID.randomUUID()).header("Authorization", BEARER))
        .andExpect(status().isMethodNotAllowed())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
  }

  @Test
  void errorCellsThatASpreadsheetWouldRunAsFormulasAreWrittenAsText() throws Exception {
    UUID id = UUID.randomUUID();
    when(operations.exists(id)).thenReturn(true);
    when(operations.errors(id, 0, 1000)).thenReturn(List.of(new Operations.RecordedError(7,
        new OperationError("line 2", "Title", "=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(1+1)"))));

    http.perform(get("/api/operations/{id}/errors", id).header("Authorization", BEARER))
        .andExpect(status().isOk())
        .andExpect(content().string(allOf(
            containsString("'=HYPERLINK"), containsString("'@SUM(1+1)"), not(containsString(",=")), not(containsString(",@")))));
  }

  private static Operation operation(OperationStatus status) {
    UUID id = UUID.randomUUID();
    Instant now = Instant.now();
    return new Operation(id, OperationType.ICON_GENERATION, status, 0, null, 0, 0, 0, null,
        "icon-generation-" + id, null, JsonDocument.EMPTY, now, now, now, now, 1L);
  }
}
