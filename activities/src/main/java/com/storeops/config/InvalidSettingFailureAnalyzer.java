package com.storeops.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad setting into Spring Boot's "APPLICATION FAILED TO START" report, without a trace. */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
    return new FailureAnalysis(
        "Setting " + cause.setting() + " is not usable: " + cause.problem(),
        "Fix " + cause.setting() + " (see the configuration table in README.md) and start again.",
        cause);
  }
}
