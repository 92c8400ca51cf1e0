/**
 * Names shared by every operation: task queues, operation types and statuses. Deterministic values
 * only, so workflow code may use them.
 */
package com.storeops.common;
