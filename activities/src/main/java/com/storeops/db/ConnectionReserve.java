package com.storeops.db;

/**
 * How many connections of the pool borrowers outside activities may hold at once: the worker
 * role's budget leaves them (STOREOPS_API_RESERVE with the api role, 1 for health checks without).
 * Without a worker role there is no such bean and the pool is not split.
 */
public record ConnectionReserve(int connections) {}
