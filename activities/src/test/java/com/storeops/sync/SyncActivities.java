package com.storeops.sync;

import com.storeops.operations.OperationTracker;
import com.storeops.operations.Operations;
import com.storeops.shopify.ShopifyGraphql;
import com.storeops.shopify.ShopifySettings;
import com.storeops.shopify.ShopifyShop;
import io.temporal.testing.TestActivityEnvironment;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sync's activity implementations wired as the worker wires them, from a context's real
 * repository, operations and transactions, talking to the shop {@code shopify} describes (a fake on
 * 127.0.0.1), registered on Temporal's activity test environment. Each kind of sync heartbeats its
 * own checkpoint: the environment must listen for the right one, or it fails the heartbeat and, once
 * its timeout passes, cancels the sync.
 */
record SyncActivities(ShopifySyncRepository repository, Operations operations, TransactionTemplate transactions,
    OperationTracker tracker) {

  /** Pages of {@code pageSize}, bulk polls every 20 ms. */
  static ShopifySyncSettings settings(int pageSize) {
    return new ShopifySyncSettings(pageSize, Duration.ofMillis(20), null, null);
  }

  /** The one client of {@code shopify}, as the application provides it. */
  static ShopifyShop shop(ShopifySettings shopify) {
    ShopifyGraphql client = new ShopifyGraphql(shopify, HttpClient.newHttpClient(), JsonMapper.builder().build());
    return new ShopifyShop(new StaticListableBeanFactory(Map.of("shopifyGraphql", client)).getBeanProvider(ShopifyGraphql.class),
        shopify);
  }

  ShopifyIncrementalSyncActivitiesImpl incremental(ShopifySettings shopify, ShopifySyncSettings settings) {
    return new ShopifyIncrementalSyncActivitiesImpl(shop(shopify), new ShopifySyncWatermark(repository), pages(), operations,
        tracker, settings);
  }

  ShopifyBulkSyncActivitiesImpl bulk(ShopifySettings shopify, ShopifySyncSettings settings) {
    return new ShopifyBulkSyncActivitiesImpl(shop(shopify), repository, new ShopifySyncWatermark(repository), pages(), operations,
        tracker, settings, new ShopifyBulkDownloads(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()));
  }

  /** The incremental sync on {@code env}, its checkpoints to {@code heartbeats}. */
  ShopifyIncrementalSyncActivities incrementalOn(TestActivityEnvironment env, ShopifySettings shopify, int pageSize,
      Consumer<ShopifyIncrementalSyncActivitiesImpl.Checkpoint> heartbeats) {
    env.setActivityHeartbeatListener(ShopifyIncrementalSyncActivitiesImpl.Checkpoint.class, heartbeats::accept);
    env.registerActivitiesImplementations(incremental(shopify, settings(pageSize)));
    return env.newActivityStub(ShopifyIncrementalSyncActivities.class);
  }

  /** The full sync on {@code env}, bulk lines written 100 at a time. */
  ShopifyBulkSyncActivities bulkOn(TestActivityEnvironment env, ShopifySettings shopify) {
    env.setActivityHeartbeatListener(ShopifyBulkSyncActivitiesImpl.BulkCheckpoint.class, at -> {});
    env.registerActivitiesImplementations(bulk(shopify, settings(100)));
    return env.newActivityStub(ShopifyBulkSyncActivities.class);
  }

  private ShopifyPageWriter pages() {
    return new ShopifyPageWriter(repository, operations, transactions);
  }
}
