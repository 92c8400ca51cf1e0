package com.storeops.api.errors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A problem+json answer: the status, its reason phrase as title, and what went wrong. */
abstract class ProblemException extends ErrorResponseException {

  ProblemException(HttpStatus status, String detail) {
    this(status, ProblemDetail.forStatusAndDetail(status, detail));
  }

  ProblemException(HttpStatus status, ProblemDetail problem) {
    super(status, titled(status, problem), null);
  }

  private static ProblemDetail titled(HttpStatus status, ProblemDetail problem) {
    problem.setTitle(status.getReasonPhrase());
    return problem;
  }
}
