package com.storeops.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * Endpoints that only the api role serves. A worker-only container still answers health, pool
 * health and metrics, which its orchestrator needs; it does not take operation requests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ConditionalOnExpression("'${storeops.worker.roles:api,worker}'.toLowerCase().contains('api')")
public @interface ApiRole {}
