package com.storeops.api.errors;

import org.springframework.http.HttpStatus;

/** 422 problem+json: the request is well-formed but contradicts an earlier one. */
public class UnprocessableException extends ProblemException {

  public UnprocessableException(String reason) {
    super(HttpStatus.UNPROCESSABLE_CONTENT, reason);
  }
}
