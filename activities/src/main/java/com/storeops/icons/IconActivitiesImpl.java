package com.storeops.icons;

import com.storeops.icons.IconRepository.ProductSource;
import com.storeops.operations.OperationCounts;
import com.storeops.operations.OperationError;
import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Products' icons, a few per activity, each product committed on its own. The connection is taken
 * only to read the product and to write its icons together with its count (one transaction); the
 * download and the rendering — the slow, CPU-heavy part — hold none.
 */
@Component
public class IconActivitiesImpl implements IconActivities {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final OperationCounts SUCCEEDED = new OperationCounts(1, 1, 0, 0);
  private static final OperationCounts FAILED = new OperationCounts(1, 0, 1, 0);
  private static final OperationCounts SKIPPED = new OperationCounts(1, 0, 0, 1);

  private final IconRepository icons;
  private final Operations operations;
  private final TransactionTemplate transactions;
  private final OperationTracker tracker;
  private final IconRenderer renderer;
  private final ImageDownloads downloads;

  public IconActivitiesImpl(IconRepository icons, Operations operations, TransactionTemplate transactions, OperationTracker tracker,
      IconRenderer renderer, ImageDownloads downloads) {
    this.icons = icons;
    this.operations = operations;
    this.transactions = transactions;
    this.tracker = tracker;
    this.renderer = renderer;
    this.downloads = downloads;
  }

  @Override
  public ProductPage nextProducts(ProductsAfter page) {
    IconGenerationRequest request = request(page.operationId());
    if (page.after() == 0) {
      operations.markRunning(page.operationId());
      operations.setTotal(page.operationId(), request.all() ? icons.countProducts() : request.productIds().size());
    }
    return new ProductPage(request.all() ? icons.productsAfter(page.after(), page.limit())
        : icons.productsAfter(request.productIds(), page.after(), page.limit()));
  }

  @Override
  public Rendered renderProducts(RenderBatch batch) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    int from = activity.getHeartbeatDetails(Integer.class).orElse(0);
    return tracker.track(batch.operationId(), "renderProducts", () -> {
      IconGenerationRequest request = request(batch.operationId());
      for (int i = from; i < batch.productIds().size(); i++) {
        render(batch.operationId(), batch.productIds().get(i), request);
        activity.heartbeat(i + 1);
      }
      return new Rendered(batch.productIds().size() - from);
    });
  }

  /**
   * Renders one product and counts it, once: the product's mark, its icons, its counts and its
   * error commit in one transaction, so a retry that comes back to a product an earlier attempt
   * committed (its heartbeat lost) neither draws nor counts it again.
   */
  private void render(UUID operationId, long productId, IconGenerationRequest request) {
    if (icons.counted(operationId, productId)) {
      return;
    }
    ProductSource product = icons.source(productId).orElse(null);
    if (product == null) {
      commit(operationId, productId, SKIPPED, () -> {});
      return;
    }
    List<Integer> sizes = request.sizes().stream().map(IconSize::pixels).toList();
    try {
      byte[] source = product.imageSrc() == null ? null : downloads.fetch(product.imageSrc());
      String hash = sha256(source != null ? source
          : ("monogram\u0000" + product.handle() + "\u0000" + product.title()).getBytes(StandardCharsets.UTF_8));
      if (!request.force() && icons.hasIcons(productId, hash, sizes)) {
        commit(operationId, productId, SKIPPED, () -> {});
        return;
      }
      BufferedImage image = source == null ? null : renderer.decode(source);
      Map<Integer, byte[]> rendered = new LinkedHashMap<>();
      for (int size : sizes) {
        rendered.put(size, image == null ? renderer.monogram(product.handle(), product.title(), size) : renderer.icon(image, size));
      }
      commit(operationId, productId, SUCCEEDED, () -> icons.store(productId, hash, rendered));
    } catch (IconInputException e) {
      OperationError error = new OperationError("product " + productId + " (" + product.handle() + ")", "image", product.imageSrc(), e.getMessage());
      commit(operationId, productId, FAILED, () -> operations.addErrors(operationId, List.of(error)));
    }
  }

  /** The product's writes and its count, in one transaction, unless an earlier attempt committed them. */
  private void commit(UUID operationId, long productId, OperationCounts counts, Runnable writes) {
    transactions.executeWithoutResult(tx -> {
      if (icons.markCounted(operationId, productId)) {
        writes.run();
        operations.addCounts(operationId, counts);
      }
    });
  }

  /** What the operation was asked to do, as the API stored it. */
  private IconGenerationRequest request(UUID operationId) {
    return JSON.readValue(operations.parameters(operationId).json(), IconGenerationRequest.class);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
