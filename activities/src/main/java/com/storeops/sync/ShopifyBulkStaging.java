package com.storeops.sync;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bulk export's lines in {@code shopify_bulk_lines}: COPYed in batches (a connection only for
 * each COPY, never while downloading), then read back a batch of products at a time with their
 * children, gathered by parent id.
 */
final class ShopifyBulkStaging {

  private static final int COPY_BATCH = 5_000;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What a download staged: its lines, and of those the products. */
  record Staged(long lines, long products) {}

  /** Staged products in file order, with the line each starts on. */
  record Batch(List<ShopifyProduct> products, long lastLine) {}

  private final ShopifySyncRepository repository;
  private final UUID operationId;

  ShopifyBulkStaging(ShopifySyncRepository repository, UUID operationId) {
    this.repository = repository;
    this.operationId = operationId;
  }

  void clear() {
    repository.clearStaged(operationId);
  }

  /** The lines staged for the operation now: fewer than were staged when they went missing. */
  long lines() {
    return repository.stagedLines(operationId);
  }

  /** Stages every line; {@code batchStaged} runs after each COPY (it heartbeats). */
  Staged stage(BufferedReader lines, Runnable batchStaged) {
    clear();
    long products = 0;
    long line = 0;
    StringBuilder csv = new StringBuilder();
    int batched = 0;
    try (lines) {
      for (String text = lines.readLine(); text != null; text = lines.readLine()) {
        if (text.isBlank()) {
          continue;
        }
        String parent = JSON.readTree(text).path("__parentId").asString(null);
        products += parent == null ? 1 : 0;
        csv.append(operationId).append(',').append(++line).append(',')
            .append(parent == null ? "" : String.valueOf(ShopifyProduct.numericId(parent))).append(",\"")
            .append(text.replace("\"", "\"\"")).append("\"\n");
        if (++batched == COPY_BATCH) {
          repository.copyStaged(csv.toString());
          csv.setLength(0);
          batched = 0;
          batchStaged.run();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the bulk export failed", e);
    }
    if (!csv.isEmpty()) {
      repository.copyStaged(csv.toString());
    }
    return new Staged(line, products);
  }

  /** Up to {@code limit} products after {@code afterLine}, each with all its variants, images and metafields. */
  Batch products(long afterLine, int limit) {
    List<ShopifySyncRepository.StagedLine> lines = repository.stagedProducts(operationId, afterLine, limit);
    if (lines.isEmpty()) {
      return new Batch(List.of(), afterLine);
    }
    List<JsonNode> nodes = lines.stream().map(l -> JSON.readTree(l.doc())).toList();
    List<Long> ids = nodes.stream().map(n -> ShopifyProduct.numericId(n.path("id").asString())).toList();
    Map<Long, List<JsonNode>> variants = new HashMap<>();
    Map<Long, List<JsonNode>> media = new HashMap<>();
    Map<Long, List<JsonNode>> metafields = new HashMap<>();
    for (ShopifySyncRepository.StagedLine child : repository.stagedChildren(operationId, ids)) {
      JsonNode node = JSON.readTree(child.doc());
      String type = node.path("id").asString();
      Map<Long, List<JsonNode>> kind = type.contains("/ProductVariant/") ? variants : type.contains("/Metafield/") ? metafields : media;
      kind.computeIfAbsent(child.parent(), k -> new ArrayList<>()).add(node);
    }
    List<ShopifyProduct> products = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      long id = ids.get(i);
      products.add(ShopifyProductNodes.product(nodes.get(i), variants.getOrDefault(id, List.of()), media.getOrDefault(id, List.of()),
          metafields.getOrDefault(id, List.of())));
    }
    return new Batch(products, lines.get(lines.size() - 1).line());
  }
}
