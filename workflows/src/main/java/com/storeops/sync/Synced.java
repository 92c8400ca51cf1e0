package com.storeops.sync;

/** @param products the products a sync activity wrote */
public record Synced(long products) {}
