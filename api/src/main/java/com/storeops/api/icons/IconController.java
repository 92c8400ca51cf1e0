package com.storeops.api.icons;

import com.storeops.api.ApiRole;
import com.storeops.api.errors.InvalidFieldException;
import com.storeops.api.errors.NotFoundException;
import com.storeops.api.errors.RequestFields;
import com.storeops.api.operations.IdempotentStarts;
import com.storeops.api.operations.OperationView;
import com.storeops.api.operations.OperationViews;
import com.storeops.common.OperationType;
import com.storeops.icons.IconGenerationRequest;
import com.storeops.icons.IconGenerationWorkflow;
import com.storeops.icons.IconRepository;
import com.storeops.icons.IconRepository.StoredIcon;
import com.storeops.icons.IconSize;
import com.storeops.operations.JsonDocument;
import com.storeops.operations.Operation;
import com.storeops.operations.OperationStarter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Starts icon generation, and serves the icons with an ETag so that browsers and CDNs cache them. */
@ApiRole
@RestController
class IconController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final OperationViews views;
  private final IconRepository icons;
  private final OperationStarter starter;
  private final IdempotentStarts idempotent;

  IconController(OperationViews views, IconRepository icons, OperationStarter starter, IdempotentStarts idempotent) {
    this.idempotent = idempotent;
    this.views = views;
    this.icons = icons;
    this.starter = starter;
  }

  @PostMapping("/api/operations/icon-generation")
  ResponseEntity<?> start(@RequestBody(required = false) JsonNode body, @RequestHeader(name = IdempotentStarts.HEADER, required = false) String idempotencyKey) {
    if (body == null || !body.isObject()) {
      throw new InvalidFieldException("body", "a JSON object with productIds or \"all\": true is required");
    }
    return idempotent.once(idempotencyKey, "icon-generation", body.toString(), () -> start(request(body)));
  }

  private ResponseEntity<OperationView> start(IconGenerationRequest request) {
    String products = request.all() ? "all" : request.productIds().size() + "-products";
    Operation operation = starter.record(OperationType.ICON_GENERATION, products, new JsonDocument(JSON.writeValueAsString(request)));
    starter.launch(operation, IconGenerationWorkflow.class,
        "Icons for " + (request.all() ? "every product" : request.productIds().size() + " products"),
        workflow -> workflow.generate(new IconGenerationWorkflow.IconRun(operation.id(), 0)));
    return ResponseEntity.accepted().location(URI.create("/api/operations/" + operation.id())).body(views.of(operation));
  }

  /** The body as a request, or a 400 naming the first field that is wrong. */
  private static IconGenerationRequest request(JsonNode body) {
    for (var names = body.propertyNames().iterator(); names.hasNext(); ) {
      String name = names.next();
      if (!List.of("productIds", "all", "sizes", "force").contains(name)) {
        throw new InvalidFieldException(name, "unknown field; expected productIds, all, sizes, force");
      }
    }
    boolean all = RequestFields.flag(body, "all");
    List<Long> ids = new ArrayList<>();
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
    List<IconSize> sizes = new ArrayList<>();
    JsonNode askedSizes = body.path("sizes");
    if (askedSizes.isMissingNode()) {
      sizes.addAll(Arrays.asList(IconSize.values()));
    } else if (!askedSizes.isArray() || askedSizes.isEmpty()) {
      throw new InvalidFieldException("sizes", "must be a non-empty list of " + IconSize.labels());
    } else {
      for (JsonNode asked : askedSizes) {
        String name = asked.asString("");
        sizes.add(IconSize.named(name).orElseThrow(
            () -> new InvalidFieldException("sizes", "unknown size '" + name + "'; expected " + IconSize.labels())));
      }
    }
    return new IconGenerationRequest(all, ids, sizes, RequestFields.flag(body, "force"));
  }

  @GetMapping("/api/products/{id}/icons/{size}.png")
  ResponseEntity<byte[]> icon(@PathVariable long id, @PathVariable String size,
      @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch) {
    IconSize named = IconSize.named(size).orElseThrow(() -> new NotFoundException("icon size", size));
    StoredIcon icon = icons.icon(id, named.pixels()).orElseThrow(() -> new NotFoundException("icon " + size + " for product", id));
    String etag = "\"" + icon.sourceHash().substring(0, 16) + "-" + named.pixels() + "\"";
    CacheControl cache = CacheControl.maxAge(Duration.ofDays(1)).cachePublic();
    if (etag.equals(ifNoneMatch)) {
      return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
    }
    return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).eTag(etag).cacheControl(cache).body(icon.png());
  }
}
