package com.storeops.imports;

public record ImportProgress(long productsDone, Long productsTotal) {}
