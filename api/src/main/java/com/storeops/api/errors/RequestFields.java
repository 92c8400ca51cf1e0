package com.storeops.api.errors;

import tools.jackson.databind.JsonNode;

/** Reading optional fields of a JSON request body, a wrong type being the user's 400. */
public final class RequestFields {

  private RequestFields() {}

  /** {@code false} when absent or null; 400 naming the field when not a boolean. */
  public static boolean flag(JsonNode body, String name) {
    JsonNode value = body.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidFieldException(name, "must be true or false");
    }
    return value.asBoolean();
  }
}
