package com.storeops.api.errors;

import org.springframework.http.HttpStatus;

/** 404 problem+json for an id that names nothing. */
public class NotFoundException extends ProblemException {

  public NotFoundException(String what, Object id) {
    super(HttpStatus.NOT_FOUND, "No " + what + " with id " + id);
  }
}
