package com.storeops.api;

import com.storeops.worker.Roles;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Endpoints that only the api role serves. A worker-only container still answers health, pool
 * health and metrics, which its orchestrator needs; it does not take operation requests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Conditional(ApiRole.Present.class)
public @interface ApiRole {

  /** Reads STOREOPS_ROLES the way the rest of the application does. */
  class Present implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return Roles.parse(context.getEnvironment().getProperty("storeops.worker.roles", "api,worker")).api();
    }
  }
}
