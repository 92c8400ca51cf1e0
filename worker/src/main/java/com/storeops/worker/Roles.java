package com.storeops.worker;

import com.storeops.config.InvalidSettingException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What this process does (STOREOPS_ROLES): {@code api} serves REST and the dashboard, {@code
 * worker} polls the four task queues. One image, so compose can run them as separate containers;
 * both in one process by default.
 */
public record Roles(boolean api, boolean worker) {

  private static final Set<String> KNOWN = Set.of("api", "worker");

  public static Roles parse(String value) {
    Set<String> roles =
        Arrays.stream(value == null ? new String[0] : value.split(","))
            .map(String::trim)
            .map(String::toLowerCase)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    Set<String> unknown = roles.stream().filter(r -> !KNOWN.contains(r)).collect(Collectors.toSet());
    if (!unknown.isEmpty() || roles.isEmpty()) {
      throw new InvalidSettingException(
          "STOREOPS_ROLES", "must list api, worker or both (comma-separated), got '" + value + "'");
    }
    return new Roles(roles.contains("api"), roles.contains("worker"));
  }

  @Override
  public String toString() {
    return api && worker ? "api,worker" : api ? "api" : "worker";
  }
}
