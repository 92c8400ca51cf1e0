package com.storeops.common;

/** The kinds of operation storeops runs, each on its type's task queue. */
public enum OperationType {
  SHOPIFY_SYNC("shopify-sync", TaskQueue.SYNC),
  ICON_GENERATION("icon-generation", TaskQueue.GENERATION),
  BATCH_UPDATE("batch-update", TaskQueue.BATCH),
  IMPORT("import", TaskQueue.IMPORT),
  // Exports share the import queue: both stream whole catalogues and are the lowest priority.
  EXPORT("export", TaskQueue.IMPORT);

  private final String slug;
  private final TaskQueue queue;

  OperationType(String slug, TaskQueue queue) {
    this.slug = slug;
    this.queue = queue;
  }

  /** The name used in URLs, JSON and workflow ids. */
  public String slug() {
    return slug;
  }

  public TaskQueue queue() {
    return queue;
  }

  public static OperationType ofSlug(String slug) {
    for (OperationType type : values()) {
      if (type.slug.equals(slug)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown operation type '" + slug + "'");
  }
}
