package com.storeops.api.icons;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.RequestFields;
import com.storeops.api.errors.NotFoundException;
import com.storeops.api.operations.IdempotentStarts;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.common.OperationType;
import com.storeops.icons.IconActivitiesImpl;
import com.storeops.icons.IconGenerationWorkflow;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationStarter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Starts icon generation, and serves the icons with an ETag so that browsers and CDNs cache them. */
@ApiRole
@RestController
class IconController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final OperationViews views;
  private final JdbcClient jdbc;
  private final OperationStarter starter;
  private final IdempotentStarts idempotent;

  IconController(OperationViews views, JdbcClient jdbc, OperationStarter starter, IdempotentStarts idempotent) {
    this.idempotent = idempotent;
    this.views = views;
    this.jdbc = jdbc;
    this.starter = starter;
  }

  @PostMapping("/api/operations/icon-generation")
  ResponseEntity<?> start(@RequestBody(required = false) JsonNode body, @RequestHeader(name = IdempotentStarts.HEADER, required = false) String idempotencyKey) {
    if (body == null || !body.isObject()) {
      throw new InvalidFieldException("body", "a JSON object with productIds or \"all\": true is required");
    }
    return idempotent.once(idempotencyKey, "icon-generation", body.toString(), () -> start(body));
  }

  private ResponseEntity<OperationView> start(JsonNode body) {
    for (var names = body.propertyNames().iterator(); names.hasNext(); ) {
      String name = names.next();
      if (!List.of("productIds", "all", "sizes", "force").contains(name)) {
        throw new InvalidFieldException(name, "unknown field; expected productIds, all, sizes, force");
      }
    }
    boolean all = RequestFields.flag(body, "all");
    ArrayNode ids = JSON.createArrayNode();
    JsonNode given = body.path("productIds");
    if (!given.isMissingNode() && !given.isArray()) {
      throw new InvalidFieldException("productIds", "must be a list of product ids");
    }
    for (JsonNode id : given) {
      if (!id.isIntegralNumber() || id.asLong() <= 0) {
        throw new InvalidFieldException("productIds", "must be a list of product ids (positive whole numbers)");
      }
      ids.add(id.asLong());
    }
    if (all == !ids.isEmpty()) {
      throw new InvalidFieldException("productIds", all ? "give productIds or \"all\": true, not both" : "give productIds, or \"all\": true");
    }
    ArrayNode sizes = JSON.createArrayNode();
    JsonNode askedSizes = body.path("sizes");
    List<String> names = new ArrayList<>();
    if (askedSizes.isMissingNode()) {
      names.addAll(IconActivitiesImpl.SIZES.keySet());
    } else if (!askedSizes.isArray() || askedSizes.isEmpty()) {
      throw new InvalidFieldException("sizes", "must be a non-empty list of " + String.join(", ", IconActivitiesImpl.SIZES.keySet()));
    } else {
      askedSizes.forEach(s -> names.add(s.asString("")));
    }
    for (String name : names) {
      if (!IconActivitiesImpl.SIZES.containsKey(name)) {
        throw new InvalidFieldException("sizes", "unknown size '" + name + "'; expected " + String.join(", ", IconActivitiesImpl.SIZES.keySet()));
      }
      sizes.add(name);
    }
    ObjectNode parameters = JSON.createObjectNode().put("all", all).put("force", RequestFields.flag(body, "force"));
    parameters.set("productIds", ids);
    parameters.set("sizes", sizes);
    Operation operation = starter.record(OperationType.ICON_GENERATION, all ? "all" : ids.size() + "-products",
        new JsonDocument(JSON.writeValueAsString(parameters)));
    starter.launch(operation, IconGenerationWorkflow.class, "Icons for " + (all ? "every product" : ids.size() + " products"),
        workflow -> workflow.generate(new IconGenerationWorkflow.IconRequest(operation.id(), 0)));
    return ResponseEntity.accepted().location(URI.create("/api/operations/" + operation.id())).body(views.of(operation));
  }

  @GetMapping("/api/products/{id}/icons/{size}.png")
  ResponseEntity<byte[]> icon(@PathVariable long id, @PathVariable String size,
      @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
    Integer pixels = IconActivitiesImpl.SIZES.get(size);
    if (pixels == null) {
      throw new NotFoundException("icon size", size);
    }
    record Icon(String hash, byte[] png) {}
    Icon icon = jdbc.sql("select source_hash, png from product_icons where product_id = ? and size = ?").param(id).param(pixels)
        .query((rs, n) -> new Icon(rs.getString(1), rs.getBytes(2))).optional()
        .orElseThrow(() -> new NotFoundException("icon " + size + " for product", id));
    String etag = "\"" + icon.hash().substring(0, 16) + "-" + pixels + "\"";
    CacheControl cache = CacheControl.maxAge(Duration.ofDays(1)).cachePublic();
    if (etag.equals(ifNoneMatch)) {
      return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
    }
    return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).eTag(etag).cacheControl(cache).body(icon.png());
  }
}
