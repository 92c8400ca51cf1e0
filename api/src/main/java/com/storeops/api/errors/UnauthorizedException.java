package com.storeops.api.errors;

import org.springframework.http.HttpStatus;

/** 401 problem+json: the request could not prove who sent it. */
public class UnauthorizedException extends ProblemException {

  public UnauthorizedException(String reason) {
    super(HttpStatus.UNAUTHORIZED, reason);
  }
}
