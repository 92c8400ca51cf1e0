package com.storeops.api.errors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 409 problem+json: the request is fine but the resource's state does not allow it. */
public class ConflictException extends ErrorResponseException {

  public ConflictException(String detail) {
    super(HttpStatus.CONFLICT, problem(detail), null);
  }

  private static ProblemDetail problem(String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
    problem.setTitle("Conflict");
    return problem;
  }
}
