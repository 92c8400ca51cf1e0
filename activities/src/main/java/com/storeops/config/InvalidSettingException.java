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

  /** An environment variable set to an empty string binds as null: name it instead of failing later. */
  public static void requireSet(String setting, Object value) {
    if (value == null) {
      throw new InvalidSettingException(setting, "is set but empty; unset it to use the default, or give a value");
    }
  }

  public String setting() {
    return setting;
  }

  public String problem() {
    return problem;
  }
}
