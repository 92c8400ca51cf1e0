package com.storeops.api.errors;

import org.springframework.http.HttpStatus;

/** 409 problem+json: the request is fine but the resource's state does not allow it. */
public class ConflictException extends ProblemException {

  public ConflictException(String detail) {
    super(HttpStatus.CONFLICT, detail);
  }
}
