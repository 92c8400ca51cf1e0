package com.storeops.sync;

import java.util.UUID;

/** A sync activity's input: the operation it counts on, and the shop it reads. */
public record SyncProducts(UUID operationId, String shop) {}
