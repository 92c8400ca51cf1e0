package com.storeops.config;

/**
 * A setting that storeops cannot start with. The message names the setting (by the environment
 * variable a user sets) and the reason, and never contains a secret: callers pass only the parts of
 * a value that are safe to print.
 */
public class InvalidSettingException extends RuntimeException {

  private final String setting;
  private final String problem;

  public InvalidSettingException(String setting, String problem) {
    this(setting, problem, null);
  }

  public InvalidSettingException(String setting, String problem, Throwable cause) {
    super(setting + ": " + problem, cause);
    this.setting = setting;
    this.problem = problem;
  }

  public String setting() {
    return setting;
  }

  public String problem() {
    return problem;
  }
}
